"""A draft and its text: normalised views, language, quoted history, placeholders, words (jieba), positions."""
