#!/usr/bin/python3
"""compare.py: lpsim against its SimPy peer on the same scenario (issue 9).

Usage: /usr/bin/python3 tests/peer/compare.py LPSIM [SCENARIO] [-r R] [-p P] [-s SEED] [-n REPEAT]

Runs `LPSIM run SCENARIO --strategy live_patch -r R -j 1` (one thread, as
SimPy has one) and the SimPy reference model (tests/peer/livepath_simpy.py)
for P replications, and prints:

  - the wall time per replication of each: lpsim's whole process (load,
    simulate, statistics, write the results) divided by R, and also its
    simulation alone (summary.json's wall_s); SimPy's simulation loop alone
    (its interpreter start and scenario parsing are left out, in its favour);
  - the speed ratio SimPy / lpsim for both lpsim figures;
    each side is timed --repeat times (default 3) and the fastest is kept,
    as other processes on the machine only ever slow a run down (the
    results of the repeats are identical: the seeds are fixed);
  - the mean makespan of each with its Student-t 95% CI, and whether they
    agree: |difference| <= 3 sqrt(se1^2 + se2^2). The same for the total VM
    downtime (sum of FSR stuns), which checks the stun model;
  - an exact check first: the same scenario with every latency constant (a
    lognormal's median), no stun noise, and patch_failure_prob 0 (every
    patch succeeds) then 1 (every attempt fails, rolls back, retries, and
    the host fails): both models are then deterministic and must give the
    same makespan and total downtime to the nanosecond rounding of lpsim's
    clock (1 ms allowed).

The draws differ (different generators), so the comparison is statistical;
with the default seeds both sides are deterministic, so the verdict is too.
Exit status: 0 when both agree, 1 when a mean disagrees, 2 when a run fails.
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livepath_simpy  # noqa: E402
import yaml  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
Z975 = 1.959963984540054


def t975(df):
    """The 0.975 quantile of Student's t with df degrees of freedom
    (Cornish-Fisher expansion, Abramowitz & Stegun 26.7.5; error < 1e-4 for
    df >= 5, which is all this script uses)."""
    z = Z975
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def ci(s):
    """(mean, half-width of the 95% CI, standard error) of {n, mean, sd}."""
    se = s["sd"] / math.sqrt(s["n"])
    return s["mean"], t975(s["n"] - 1) * se, se


def run_lpsim(lpsim, scenario, reps, seed):
    out = tempfile.mkdtemp(prefix="lpsim-peer.")
    try:
        cmd = [lpsim, "run", scenario, "--strategy", "live_patch", "-r", str(reps), "-j", "1",
               "-o", os.path.join(out, "o"), "--quiet"]
        if seed is not None:
            cmd += ["-s", str(seed)]
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        if p.returncode != 0:
            sys.stderr.write("compare: %s failed (exit %d):\n%s" % (" ".join(cmd), p.returncode, p.stderr))
            return None
        with open(os.path.join(out, "o", "summary.json")) as f:
            sm = json.load(f)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    lp = sm["strategies"]["live_patch"]
    return {
        "makespan_s": lp["makespan_s"],
        "downtime_total_s": lp["vm_downtime_s"]["total"],
        "wall_s": wall,
        "sim_wall_s": float(sm.get("wall_s", "nan")),
    }


def constant_of(v):
    """A latency made constant: a lognormal's median, a constant's value."""
    if not isinstance(v, dict):
        return v
    if v.get("dist") == "lognormal" and "median" in v and "offset" not in v:
        return v["median"]
    if v.get("dist") == "constant" and "offset" not in v:
        return v["value"]
    raise ValueError("the exact check cannot make %r constant" % (v,))


def exact_check(lpsim, scenario):
    """The deterministic variants (see the docstring); True when all agree."""
    with open(scenario) as f:
        doc = yaml.safe_load(f)
    hw = doc.setdefault("hardware", {})
    for k in ("enter_partial_mm", "mount_revision", "patch_revision", "rollback", "exit_partial_mm"):
        if k in hw:
            hw[k] = constant_of(hw[k])
    hw.setdefault("fsr", {}).setdefault("stun", {})["sigma"] = 0
    doc["replications"] = 1
    ok = True
    tmp = tempfile.mkdtemp(prefix="lpsim-peer-exact.")
    try:
        for p in (0, 1):
            doc.setdefault("faults", {})["patch_failure_prob"] = p
            path = os.path.join(tmp, "exact-%d.yaml" % p)
            with open(path, "w") as f:
                yaml.safe_dump(doc, f, sort_keys=False)
            lp = run_lpsim(lpsim, path, 1, None)
            if lp is None:
                return None
            py = livepath_simpy.run(path, 1)
            a = (lp["makespan_s"]["mean"], lp["downtime_total_s"]["mean"])
            b = (py["makespan_s"]["mean"], py["downtime_total_s"]["mean"])
            same = abs(a[0] - b[0]) <= 1e-3 and abs(a[1] - b[1]) <= 1e-3
            ok &= same
            print("exact check, constant latencies, patch_failure_prob %d: makespan lpsim %.3f s, "
                  "simpy %.3f s; total downtime lpsim %.3f s, simpy %.3f s: equal %s"
                  % (p, a[0], b[0], a[1], b[1], "yes" if same else "NO"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ok


def fmt_t(s):
    return "%.1f us" % (s * 1e6) if s < 1e-3 else "%.3f ms" % (s * 1e3)


def agree(name, unit, a, b):
    ma, ha, sa = ci(a)
    mb, hb, sb = ci(b)
    d = ma - mb
    lim = 3 * math.sqrt(sa * sa + sb * sb)
    ok = abs(d) <= lim
    print("%s lpsim: %.3f %s [%.3f, %.3f] (n %d)" % (name, ma, unit, ma - ha, ma + ha, a["n"]))
    print("%s simpy: %.3f %s [%.3f, %.3f] (n %d)" % (name, mb, unit, mb - hb, mb + hb, b["n"]))
    print("%s difference: %+.3f %s (%+.2f%%), limit 3 sqrt(se1^2+se2^2) = %.3f %s: agree %s"
          % (name, d, unit, 100 * d / mb, lim, unit, "yes" if ok else "NO"))
    return ok


def main(argv):
    ap = argparse.ArgumentParser(description="lpsim against its SimPy peer (issue 9)")
    ap.add_argument("lpsim")
    ap.add_argument("scenario", nargs="?", default=os.path.join(HERE, "scenario.yaml"))
    ap.add_argument("-r", "--replications", type=int, default=4000, help="lpsim's (default 4000)")
    ap.add_argument("-p", "--peer-replications", type=int, default=1000, help="SimPy's (default 1000)")
    ap.add_argument("-s", "--seed", type=int, default=None, help="default: the scenario's")
    ap.add_argument("-n", "--repeat", type=int, default=3, help="timings per side, fastest kept (default 3)")
    a = ap.parse_args(argv)
    if a.replications < 2 or a.peer_replications < 2:
        ap.error("at least 2 replications each")

    try:
        exact = exact_check(a.lpsim, a.scenario)
    except (OSError, ValueError, KeyError) as e:
        sys.stderr.write("compare: the exact check failed: %s\n" % e)
        return 2
    if exact is None:
        return 2
    lp = py = None
    for _ in range(max(1, a.repeat)):
        x = run_lpsim(a.lpsim, a.scenario, a.replications, a.seed)
        if x is None:
            return 2
        if lp is not None:
            x["wall_s"] = min(x["wall_s"], lp["wall_s"])
            x["sim_wall_s"] = min(x["sim_wall_s"], lp["sim_wall_s"])
        lp = x
        try:
            x = livepath_simpy.run(a.scenario, a.peer_replications, a.seed)
        except (OSError, ValueError, KeyError) as e:
            sys.stderr.write("compare: the SimPy model failed: %s\n" % e)
            return 2
        if py is not None:
            x["wall_s"] = min(x["wall_s"], py["wall_s"])
        py = x

    lp_rep = lp["wall_s"] / a.replications
    lp_sim_rep = lp["sim_wall_s"] / a.replications
    py_rep = py["wall_s"] / a.peer_replications
    print("peer scenario: %s (live_patch, one thread each, fastest of %d timings)"
          % (os.path.relpath(a.scenario), max(1, a.repeat)))
    print("lpsim per replication: %s whole process (%d reps -j1, %.2f s), %s simulation alone"
          % (fmt_t(lp_rep), a.replications, lp["wall_s"], fmt_t(lp_sim_rep)))
    try:
        from importlib.metadata import version
        simpy_version = version("SimPy")
    except Exception:  # the version is only reported
        simpy_version = "?"
    print("simpy per replication: %s simulation loop (%d reps, %.2f s; SimPy %s, Python %d.%d)"
          % (fmt_t(py_rep), a.peer_replications, py["wall_s"], simpy_version, sys.version_info[0],
             sys.version_info[1]))
    print("speed ratio simpy/lpsim: %.1fx whole process, %.1fx simulation alone (goal >= 100x)"
          % (py_rep / lp_rep, py_rep / lp_sim_rep if lp_sim_rep > 0 else float("nan")))
    ok = agree("makespan", "s", lp["makespan_s"], py["makespan_s"])
    ok &= agree("total VM downtime", "s", lp["downtime_total_s"], py["downtime_total_s"])
    ok &= exact
    print("lpsim and simpy agree: %s" % ("yes" if ok else "NO"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
