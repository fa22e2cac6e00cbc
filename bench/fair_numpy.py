#!/usr/bin/env python3
"""The peer reference for `twinrisk fair`: the no-graph FAIR model (Poisson events a year,
lognormal magnitudes given by their 5th and 95th percentiles) written the vectorised numpy way,
as riskquant's SimpleLoss.simulate_years does it, with the statistics `twinrisk fair` prints: ALE,
sd, P(any loss), p50/p90/p95/p99/p99.9, TVaR95/99 and a 40-point loss exceedance curve. Times
the whole job end to end; with --twinrisk, times `twinrisk fair` on the same model in the same
run (best of --repeat each) and prints the ratio.

    /usr/bin/python3 bench/fair_numpy.py --years 20000000 --twinrisk build/release/bin/twinrisk
"""
import argparse
import json
import math
import subprocess
import time
from statistics import NormalDist

import numpy as np


def simulate_years(rng, years, rate, low, high):
    factor = -0.5 * (NormalDist().inv_cdf(0.05) - NormalDist().inv_cdf(0.95))
    mu = (math.log(low) + math.log(high)) / 2
    sigma = (math.log(high) - math.log(low)) / (2 * factor)
    counts = rng.poisson(rate, years)
    magnitudes = rng.lognormal(mu, sigma, counts.sum())
    return np.bincount(np.repeat(np.arange(years), counts), weights=magnitudes, minlength=years)


def statistics(annual):
    """The figures of `twinrisk fair`, the numpy way: one sort, then indexing and searches."""
    s = np.sort(annual)
    n = len(s)
    out = {"ale": s.mean(), "sd": s.std(ddof=1), "p_any_loss": np.count_nonzero(s) / n}
    for q in (0.5, 0.9, 0.95, 0.99, 0.999):
        out[f"p{q}"] = np.quantile(s, q)
    for q in (0.95, 0.99):
        out[f"tvar{q}"] = s[min(n - 1, math.floor(q * n)):].mean()
    positive = s[np.searchsorted(s, 0.0, side="right"):]
    if len(positive):
        lo, hi = max(positive[0], np.quantile(s, 0.01)), s[-1]
        xs = lo * (hi / lo) ** (np.arange(40) / 39)
        out["curve"] = (n - np.searchsorted(s, xs, side="right")) / n
    return out


def best_of(repeat, job):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = job()
        best = min(best, time.perf_counter() - start)
    return best, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=20_000_000)
    parser.add_argument("--rate", type=float, default=2.0)
    parser.add_argument("--low", type=float, default=1e5)
    parser.add_argument("--high", type=float, default=1e7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--twinrisk", help="a twinrisk CLI to time on the same model")
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    seconds, figures = best_of(args.repeat, lambda: statistics(simulate_years(rng, args.years, args.rate, args.low, args.high)))
    print(f"numpy {np.__version__}: {args.years / seconds / 1e6:.2f} M years/s end to end ({seconds:.2f} s, best of {args.repeat}); "
          f"ALE {figures['ale']:,.0f}, p99 {figures['p0.99']:,.0f}")
    if args.twinrisk:
        command = [args.twinrisk, "fair", "--frequency", str(args.rate), "--magnitude", f"lognormal:{args.low:g}:{args.high:g}",
                   "--years", str(args.years), "--format", "json"]
        ours, output = best_of(args.repeat, lambda: subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        j = json.loads(output)
        print(f"twinrisk fair: {args.years / ours / 1e6:.2f} M years/s end to end ({ours:.2f} s, whole process); "
              f"ALE {j['ale']:,.0f}, p99 {j['p99']:,.0f}")
        print(f"ratio: {seconds / ours:.1f}x numpy")


if __name__ == "__main__":
    main()
