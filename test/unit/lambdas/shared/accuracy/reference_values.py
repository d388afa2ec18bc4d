"""Independent reference values for test/unit/accuracy (plain Python 3, no numpy).

Run: python3 test/unit/lambdas/shared/accuracy/reference_values.py
The figures printed here are pinned in metrics.test.ts and summary.test.ts. They are computed
with different algorithms from the TypeScript module on purpose (pairwise AUROC instead of
rank sums, exact fsum, bisect_left instead of the index arithmetic), so agreement is evidence.
"""

import bisect
import math

# --- Calibration / correlation reference (from the issue) -----------------------------------
CONF = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.3, 0.7, 0.9, 0.62, 0.88]
HIT = [1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0]
N_BINS = 10
# np.linspace(0, 1, 11) is exactly i * 0.1 in float64 (0.30000000000000004, ...).
EDGES = [i * 0.1 for i in range(N_BINS)] + [1.0]


def bin_of(p):
    # sklearn calibration_curve: np.searchsorted(bins[1:-1], y_prob) with side='left',
    # i.e. bisect_left: bins are right-closed (lo, hi], bin 0 also holds 0.
    return bisect.bisect_left(EDGES[1:-1], p)


def calibration(conf, hit):
    n = len(conf)
    bins = {}
    for c, h in zip(conf, hit):
        bins.setdefault(bin_of(c), []).append((c, h))
    gaps = []
    table = []
    for b in sorted(bins):
        cs = [c for c, _ in bins[b]]
        hs = [h for _, h in bins[b]]
        mean_c = math.fsum(cs) / len(cs)
        rate = math.fsum(hs) / len(hs)
        gaps.append((abs(mean_c - rate), len(cs)))
        table.append((b, len(cs), mean_c, rate))
    ece = math.fsum(g * k for g, k in gaps) / n
    mce = max(g for g, _ in gaps)
    return ece, mce, table


def brier(conf, hit):
    return math.fsum((c - h) ** 2 for c, h in zip(conf, hit)) / len(conf)


def log_loss(conf, hit):
    eps = 2.0**-52  # np.finfo(np.float64).eps, sklearn's clip
    total = []
    for c, h in zip(conf, hit):
        p = min(max(c, eps), 1 - eps)
        total.append(-math.log(p) if h else -math.log(1 - p))
    return math.fsum(total) / len(conf)


def pearson(x, y):
    n = len(x)
    mx = math.fsum(x) / n
    my = math.fsum(y) / n
    sxy = math.fsum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = math.fsum((a - mx) ** 2 for a in x)
    syy = math.fsum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy)


def average_ranks(x):
    order = sorted(range(len(x)), key=lambda i: x[i])
    ranks = [0.0] * len(x)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and x[order[j + 1]] == x[order[i]]:
            j += 1
        avg = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = avg
        i = j + 1
    return ranks


def spearman(x, y):
    return pearson(average_ranks(x), average_ranks(y))


def auroc_pairwise(conf, hit):
    pos = [c for c, h in zip(conf, hit) if h]
    neg = [c for c, h in zip(conf, hit) if not h]
    score = 0.0
    for p in pos:
        for q in neg:
            score += 1.0 if p > q else 0.5 if p == q else 0.0
    return score / (len(pos) * len(neg))


def wilson(k, n, z=1.959963984540054):
    p = k / n
    denom = 1 + z * z / n
    center = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return center - half, center + half


def sign(x):
    return (x > 0) - (x < 0)


# --- Price reference: (symbol, model, session, base, predicted, confidence, actual) --------
PRICE_ROWS = [
    ("AAPL", "lstm-v3", "regular", 187.2, 189.9, 0.74, 188.4),  # up/up  hit
    ("AAPL", "lstm-v3", "regular", 188.4, 187.0, 0.61, 189.1),  # down/up miss
    ("AAPL", "xgb-v1", "pre_market", 189.1, 189.1, 0.55, 189.1),  # flat/flat hit (sign 0 == 0)
    ("AAPL", "xgb-v1", "after_hours", 189.1, 189.1, 0.52, 190.0),  # flat/up miss
    ("MSFT", "lstm-v3", "regular", 410.0, 405.5, 0.83, 402.25),  # down/down hit
    ("MSFT", "xgb-v1", "regular", 402.25, 404.0, 0.9, 401.0),  # up/down miss
    ("MSFT", "xgb-v1", "after_hours", 401.0, 403.75, 0.66, 403.75),  # up/up exact hit
]


def price_metrics(rows):
    errs = [pred - act for (_, _, _, _, pred, _, act) in rows]
    pct = [abs(pred - act) / act * 100 for (_, _, _, _, pred, _, act) in rows]
    hits = [1 if sign(pred - base) == sign(act - base) else 0 for (_, _, _, base, pred, _, act) in rows]
    n = len(rows)
    return {
        "n": n,
        "hits": sum(hits),
        "hitRate": sum(hits) / n,
        "mae": math.fsum(abs(e) for e in errs) / n,
        "rmse": math.sqrt(math.fsum(e * e for e in errs) / n),
        "meanError": math.fsum(errs) / n,
        "mape": math.fsum(pct) / n,
        "pct": pct,
        "hitVector": hits,
    }


if __name__ == "__main__":
    ece, mce, table = calibration(CONF, HIT)
    print("ece", repr(ece))
    print("mce", repr(mce))
    print("reliability", table)
    print("brier", repr(brier(CONF, HIT)))
    print("logLoss", repr(log_loss(CONF, HIT)))
    print("spearman", repr(spearman(CONF, HIT)))
    print("pointBiserial", repr(pearson(CONF, [float(h) for h in HIT])))
    print("auroc", repr(auroc_pairwise(CONF, HIT)))
    print("wilson 9/15", tuple(repr(v) for v in wilson(9, 15)))
    for label, rows in [
        ("all", PRICE_ROWS),
        ("AAPL", [r for r in PRICE_ROWS if r[0] == "AAPL"]),
        ("MSFT", [r for r in PRICE_ROWS if r[0] == "MSFT"]),
        ("xgb-v1", [r for r in PRICE_ROWS if r[1] == "xgb-v1"]),
    ]:
        m = price_metrics(rows)
        print("price", label, {k: (repr(v) if isinstance(v, float) else v) for k, v in m.items()})
    conf = [r[5] for r in PRICE_ROWS]
    hits = price_metrics(PRICE_ROWS)["hitVector"]
    e, m, _ = calibration(conf, hits)
    print("price-conf ece", repr(e), "mce", repr(m), "brier", repr(brier(conf, hits)))
    print("price-conf logLoss", repr(log_loss(conf, hits)), "auroc", repr(auroc_pairwise(conf, hits)))
    print("price-conf spearman", repr(spearman(conf, hits)), "pb", repr(pearson(conf, hits)))
    print("wilson 4/7", tuple(repr(v) for v in wilson(4, 7)))
