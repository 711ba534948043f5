"""Realistic customer-service drafts for benchmarks, generated from phrase pools (seeded, so every
run measures the same text).

Most drafts are ordinary chat replies that must stay quiet; about one in five carries something a
rule objects to (an absolute promise, blaming or commanding the customer, a contact handle, another
platform's name); some are in traditional Chinese or English; a few are e-mails. Lengths follow chat
replies: mostly 10-80 characters, some longer.

    python benchmarks/drafts.py OUT_DIR [--count 4000] [--seed 1]
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

OPENERS = ["亲，", "亲亲，", "您好，", "亲爱的，", "在的亲，", "您好呀~", "", "", "嗯嗯，", "好的亲，"]
BODIES = [
    "您的订单已经发货了，预计{n}天左右送达，请耐心等待哦",
    "这款商品目前有现货，下单后48小时内发出",
    "麻烦您提供一下订单号，我这边帮您查询物流信息",
    "非常抱歉给您带来不便，我们会尽快为您处理",
    "快递方面小店不能保证哦，一般情况下{n}天可以到",
    "这个颜色是实物拍摄的，可能会因为显示器有轻微色差",
    "您可以在订单详情页面申请退换货，我们审核后会第一时间处理",
    "尺码建议您参考详情页的尺码表，身高{h}的话建议拍M码",
    "感谢您的肯定，我们会继续努力的",
    "这款面料是100%纯棉的，穿着很舒服",
    "目前活动价是{p}元，满199减20",
    "退款已经原路返回了，一般1-3个工作日到账",
    "我们会在第一时间为您安排补发",
    "请问还有什么可以帮您的吗",
    "保证金是平台规定的，和商品价格没有关系",
    "赠品是随机发放的，颜色不能指定呢",
    "亲，发票会随货一起寄出，请注意查收",
    "这边已经帮您备注了，仓库会优先安排",
    "包装盒有轻微压痕不影响使用的，您看可以吗",
    "我一定会尽力帮您解决问题的",
    "不好意思让您久等了，刚刚在核实库存",
    "物流显示已经到达您所在的城市了，今天应该会派送",
    "您好 已经帮您查询了 现在是运输途中的",
    "建议您先试穿一下，不合适七天内可以无理由退换",
]
FINDINGS = [
    "我们保证明天一定发货",
    "这个绝对是正品，假一赔十",
    "百分之百不会有质量问题",
    "肯定能在周五之前送到",
    "是你自己地址填错了，我们也没办法",
    "你搞错了吧，详情页写得很清楚",
    "都跟你说了，你听不懂吗",
    "您应该在下单前看清楚尺码",
    "你必须先申请退款，我们才能处理",
    "赶紧确认收货吧",
    "有问题加我微信{w}详聊",
    "加我vx：{w}，给您返现",
    "可以直接打我电话138 0013 {d}",
    "淘宝上同款要贵很多的",
    "我们在拼多多也有店铺，那边更便宜",
    "這款絕對是正品，保證您滿意",
]
TRADITIONAL = [
    "您好，您的訂單已經發貨了，請耐心等待",
    "非常抱歉給您帶來不便，我們會盡快為您處理",
    "這款商品目前有現貨，下單後48小時內發出",
    "請問還有什麼可以幫您的嗎",
]
ENGLISH = [
    "Hi, your order has shipped and should arrive in {n} days.",
    "Thanks for your patience, we are checking with the warehouse.",
    "We guarantee delivery by Friday, absolutely no delays.",
    "You should have read the size chart before ordering.",
    "Please let us know if there is anything else we can help with.",
]
CLOSERS = ["", "", "~", "哦", "呢", "，祝您购物愉快！", "，有问题随时联系我们哦", "。", "！"]
EMAIL = "尊敬的客户：\n您好！\n{body}。\n{body2}。\n此致\n敬礼\n客服小王\n"


def _fill(rng: random.Random, text: str) -> str:
    return text.format(
        n=rng.randint(2, 7),
        h=rng.randint(150, 185),
        p=rng.randint(39, 399),
        w=f"shop{rng.randint(1000, 99999)}",
        d=rng.randint(1000, 9999),
    )


def draft(rng: random.Random) -> tuple[str, str]:
    """One (text, kind) pair."""
    roll = rng.random()
    if roll < 0.05:
        body, body2 = (_fill(rng, rng.choice(BODIES)) for _ in range(2))
        return EMAIL.format(body=body, body2=body2), "email"
    if roll < 0.12:
        return _fill(rng, rng.choice(ENGLISH)), "chat"
    if roll < 0.20:
        return rng.choice(OPENERS) + rng.choice(TRADITIONAL) + rng.choice(CLOSERS), "chat"
    parts = [_fill(rng, rng.choice(BODIES)) for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))]
    if rng.random() < 0.2:
        parts.insert(rng.randrange(len(parts) + 1), _fill(rng, rng.choice(FINDINGS)))
    return rng.choice(OPENERS) + "，".join(parts) + rng.choice(CLOSERS), "chat"


def generate(count: int, seed: int = 1) -> list[tuple[str, str]]:
    """``count`` drafts as (text, kind); the same seed gives the same drafts."""
    rng = random.Random(seed)
    return [draft(rng) for _ in range(count)]


def write(folder: Path, count: int, seed: int = 1) -> list[Path]:
    """One file per draft (``.eml`` for e-mails, so the CLI lints them as e-mails)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (text, kind) in enumerate(generate(count, seed)):
        path = folder / f"draft-{i:05d}.{'eml' if kind == 'email' else 'txt'}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    print(f"{len(write(args.out, args.count, args.seed))} drafts written to {args.out}")


if __name__ == "__main__":
    main()
