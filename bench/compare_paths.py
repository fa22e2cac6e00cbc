#!/usr/bin/env python3
"""Times twinrisk against networkx and python-igraph on the same exchange-format twin, and
checks that they agree: the top-k path probabilities, and the number of simple paths within H
hops from the sources to the targets.

    build/release/bin/twinrisk generate --nodes 100000 --seed 1 --format tsv -o /tmp/ent100k
    /usr/bin/python3 bench/compare_paths.py /tmp/ent100k --twinrisk build/release/bin/twinrisk

Needs Debian's python3-networkx and (optionally) python3-igraph. twinrisk's figures are the
`compute_s` its CLI reports: building the path index from the loaded twin plus the query, the
same work the peers do after loading their graph. The peers are timed on the query call alone.

Modelling notes, the same for all three: the probability of a path is the product of its
edges' probabilities; most probable = shortest under the weight -ln p; sources and targets are
joined to a super-source and a super-sink by zero-weight edges, so the k paths are found in one
k-shortest-paths call. networkx's shortest_simple_paths does not take multigraphs, so for it
each parallel edge after the first is routed through a dummy vertex by a zero-weight edge, which
keeps every path and its probability (its count of simple paths uses a MultiDiGraph instead).
igraph's get_all_simple_paths lists vertex sequences, so parallel edges count once there; its
count is checked against the distinct vertex sequences among networkx's paths.
Edges of probability 0 are dropped (twinrisk never uses them).
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time


def load(folder):
    edges = []
    with open(os.path.join(folder, "edges.tsv")) as f:
        header = f.readline()
        n = int(header.split("nodes=")[1].split()[0])
        for line in f:
            u, v, p = line.split("\t")
            p = float(p)
            if p > 0.0:
                edges.append((int(u), int(v), p))

    def ids(name):
        with open(os.path.join(folder, name)) as f:
            return sorted({int(x) for x in (l.split("#")[0].strip() for l in f) if x})

    return n, edges, ids("sources.txt"), ids("targets.txt")


def run_twinrisk(binary, folder, args):
    out = subprocess.run([binary, "paths", folder, "--format", "json", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def timed(f):
    start = time.perf_counter()
    result = f()
    return result, time.perf_counter() - start


def igraph_runs(n, edges, sources, targets, k, hops):
    import igraph

    s, t = n, n + 1
    g = igraph.Graph(n=n + 2, directed=True)
    all_edges = [(u, v) for u, v, _ in edges] + [(s, x) for x in sources] + [(x, t) for x in targets]
    weights = [-math.log(p) for _, _, p in edges] + [0.0] * (len(sources) + len(targets))
    g.add_edges(all_edges)
    g.es["w"] = weights
    prob = [p for _, _, p in edges]

    def top_k():
        return g.get_k_shortest_paths(s, to=t, k=k, weights="w", mode="out", output="epath")

    epaths, seconds = timed(top_k)
    probabilities = []
    for path in epaths:
        p = 1.0
        for e in path:
            if e < len(prob):
                p *= prob[e]
        probabilities.append(p)

    def count():
        # Simple paths of at most `hops` real edges from each source, ending at any target.
        sub = igraph.Graph(n=n, edges=[(u, v) for u, v, _ in edges], directed=True)
        target_set = set(targets)
        total = sum(1 for x in sources if x in target_set)  # 0-hop paths
        for x in sources:
            total += len(sub.get_all_simple_paths(x, to=targets, cutoff=hops, mode="out"))
        return total

    counted, count_seconds = timed(count)
    return seconds, count_seconds, probabilities, None, counted


def networkx_runs(n, edges, sources, targets, k, hops):
    import itertools

    import networkx as nx

    s, t = n, n + 1
    g = nx.DiGraph()
    g.add_nodes_from(range(n + 2))
    dummy = n + 2
    for u, v, p in edges:
        if g.has_edge(u, v):  # a parallel edge: u -> dummy -> v keeps it a distinct path
            g.add_edge(u, dummy, w=-math.log(p), p=p)
            g.add_edge(dummy, v, w=0.0, p=1.0)
            dummy += 1
        else:
            g.add_edge(u, v, w=-math.log(p), p=p)
    for x in sources:
        g.add_edge(s, x, w=0.0, p=1.0)
    for x in targets:
        g.add_edge(x, t, w=0.0, p=1.0)

    def top_k():
        return list(itertools.islice(nx.shortest_simple_paths(g, s, t, weight="w"), k))

    paths, seconds = timed(top_k)
    probabilities = [math.prod(g[a][b]["p"] for a, b in zip(path, path[1:])) for path in paths]

    def count():
        multi = nx.MultiDiGraph()
        multi.add_nodes_from(range(n))
        multi.add_edges_from((u, v) for u, v, _ in edges)
        target_set = set(targets)
        total = sum(1 for x in sources if x in target_set)
        sequences = set((x,) for x in sources if x in target_set)
        for x in sources:
            for path in nx.all_simple_edge_paths(multi, x, targets, cutoff=hops):
                total += 1
                sequences.add((x,) + tuple(e[1] for e in path))
        return total, len(sequences)

    (counted, sequences), count_seconds = timed(count)
    return seconds, count_seconds, probabilities, counted, sequences


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", help="exchange-format twin (twinrisk generate --format tsv)")
    parser.add_argument("--twinrisk", default="build/release/bin/twinrisk", help="the twinrisk CLI")
    parser.add_argument("--k", type=int, default=100)
    parser.add_argument("--hops", type=int, default=3)
    parser.add_argument("--skip", action="append", default=[], choices=["networkx", "igraph"])
    args = parser.parse_args()

    n, edges, sources, targets = load(args.folder)
    print(f"twin: {n} nodes, {len(edges)} edges, {len(sources)} sources, {len(targets)} targets")
    top = run_twinrisk(args.twinrisk, args.folder, ["--k", str(args.k)])
    counted = run_twinrisk(args.twinrisk, args.folder, ["--all", "--count", "--max-hops", str(args.hops)])
    ours = [p["probability"] for p in top["paths"]]
    rows = [("twinrisk", top["timing"]["compute_s"], counted["timing"]["compute_s"], ours, counted["count"], None)]

    for name, runs in (("networkx", networkx_runs), ("igraph", igraph_runs)):
        if name in args.skip:
            continue
        try:
            rows.append((name, *runs(n, edges, sources, targets, args.k, args.hops)))
        except ImportError:
            print(f"{name}: not installed (apt-get install python3-{name}); skipped")
    sequences = next((r[5] for r in rows if r[0] == "networkx"), None)

    print(f"\n{'tool':<10} {'top-' + str(args.k) + ' s':>12} {'ratio':>8} {'<=' + str(args.hops) + ' hops s':>12} {'ratio':>8}  agrees with twinrisk")
    ok = True
    for name, seconds, count_seconds, probabilities, count, vertex_sequences in rows:
        same_top = len(probabilities) == len(ours) and all(
            math.isclose(a, b, rel_tol=1e-9) for a, b in zip(probabilities, ours))
        if count is not None:
            count_note, same_count = f"{count} paths", count == rows[0][4]
        elif sequences is not None:
            count_note, same_count = f"{vertex_sequences} vertex sequences", vertex_sequences == sequences
        else:
            count_note, same_count = f"{vertex_sequences} vertex sequences (unchecked without networkx)", True
        ok = ok and same_top and same_count
        print(f"{name:<10} {seconds:>12.4f} {seconds / rows[0][1]:>8.0f} {count_seconds:>12.4f} "
              f"{count_seconds / rows[0][2]:>8.0f}  top-k {'yes' if same_top else 'NO'}; {count_note} {'yes' if same_count else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
