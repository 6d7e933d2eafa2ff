#!/usr/bin/python3
"""livepath_simpy: a reference model of lpsim's live path in SimPy, the peer
of the benchmark's comparison (tests/peer/compare.py; issue 9).

It models one cluster patched with ESXi Live Patch, with the semantics of
/work/shared/SCENARIO.md ("The live path of one host"):

  - vLCM starts the hosts in inventory order, one at a time (or max_hosts at
    once with parallel remediation): a SimPy Resource of host slots, FIFO;
  - each host: enter_partial_mm, then per attempt mount_revision and
    patch_revision; the patch fails with patch_failure_prob (drawn at its
    start), then rollback, and after retry_delay the host mounts again; after
    retry_count retries it exits partial maintenance mode, failed;
  - after a successful patch, every powered-on VM of the host is
    fast-suspend-resumed, fsr.concurrency at a time, in inventory order (a
    SimPy Resource per host, one Process per VM); stun =
    (base + per_gb GB + per_vcpu vCPUs) e^{N(0, sigma^2)};
  - exit_partial_mm; the makespan is when the last host leaves remediation.

Initial placement is lpsim's (SCENARIO.md "Initial placement"): VMs in
inventory order, each on the host with the most free memory where it fits,
ties to the earliest host.

It reads the scenario with PyYAML (Debian's python3-yaml) and accepts only the
subset the comparison needs: one cluster, hosts and VM groups inline, every
VM powered on and FSR-compatible, no FSR failures, vMotion failures or host
crashes; anything else is refused rather than silently modelled differently.

Debian bookworm ships SimPy 2.3 (python3-simpy, module SimPy), whose API is
the classic one: Process subclasses whose methods yield (hold, ...),
(request, ...), (release, ...). Run it with /usr/bin/python3.

Usage: livepath_simpy.py SCENARIO [-r N] [-s SEED]
prints one JSON line: replications, makespan mean/sd, total downtime
mean/sd, wall seconds of the simulation loop.
"""
import json
import math
import random
import re
import sys
import time

import yaml
from SimPy.Simulation import Process, Resource, Simulation, hold, passivate, release, request

Z95 = 1.6448536269514722

# ---- the scenario subset ------------------------------------------------------

_UNITS = {"ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def duration(v):
    """A duration: a number of seconds or a string with a unit (250ms, 5m)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    m = re.fullmatch(r"\s*([0-9.]+(?:[eE][-+]?[0-9]+)?)\s*(ms|s|m|h|d)?\s*", str(v))
    if not m:
        raise ValueError("not a duration: %r" % (v,))
    return float(m.group(1)) * _UNITS[m.group(2) or "s"]


def dist(v):
    """A latency distribution as a function of a random.Random."""
    if not isinstance(v, dict):
        c = duration(v)
        return lambda rng: c
    kind = v.get("dist")
    off = duration(v.get("offset", 0))
    if kind == "constant":
        c = duration(v["value"]) + off
        return lambda rng: c
    if kind == "lognormal":
        if "median" in v:
            med, p95 = duration(v["median"]), duration(v["p95"])
            mu, sigma = math.log(med), math.log(p95 / med) / Z95
        else:
            mu, sigma = float(v["mu"]), float(v["sigma"])
        return lambda rng: rng.lognormvariate(mu, sigma) + off
    if kind == "uniform":
        lo, hi = duration(v["min"]), duration(v["max"])
        return lambda rng: rng.uniform(lo, hi) + off
    if kind == "exponential":
        mean = duration(v["mean"])
        return lambda rng: rng.expovariate(1.0 / mean) + off
    raise ValueError("distribution %r is not supported by the peer model" % (kind,))


def expand(group):
    """The names of a {name, count} group, in order."""
    n = int(group.get("count", 1))
    name = group["name"]
    return [name % (i + 1) if "%" in name else name for i in range(n)]


class Scenario:
    """What the peer model needs of a scenario, with lpsim's defaults."""

    def __init__(self, path):
        with open(path) as f:
            doc = yaml.safe_load(f)
        if len(doc["clusters"]) != 1 or int(doc["clusters"][0].get("count", 1)) != 1:
            raise ValueError("the peer model takes exactly one cluster")
        cl = doc["clusters"][0]
        vc = doc.get("vcenter", {})
        rm = dict(vc.get("remediation", {}))
        rm.update(cl.get("remediation", {}))
        par = rm.get("parallel", {})
        self.max_hosts = int(par.get("max_hosts", 4)) if par.get("enabled", False) else 1
        fa = rm.get("failure_action", {})
        self.retry_count = int(fa.get("retry_count", 3))
        self.retry_delay = duration(fa.get("retry_delay", "5m"))
        self.seed = int(doc.get("seed", 1))
        hw = doc.get("hardware", {})
        defaults = {
            "enter_partial_mm": {"dist": "lognormal", "median": "10s", "p95": "30s"},
            "mount_revision": {"dist": "lognormal", "median": "30s", "p95": "60s"},
            "patch_revision": {"dist": "lognormal", "median": "60s", "p95": "120s"},
            "rollback": "30s",
            "exit_partial_mm": "10s",
        }
        for k, d in defaults.items():
            setattr(self, k, dist(hw.get(k, d)))
        fsr = hw.get("fsr", {})
        st = fsr.get("stun", {})
        self.stun_base = duration(st.get("base", "100ms"))
        self.stun_per_gb = duration(st.get("per_gb", "2ms"))
        self.stun_per_vcpu = duration(st.get("per_vcpu", "5ms"))
        self.stun_sigma = float(st.get("sigma", 0.3))
        self.concurrency = int(fsr.get("concurrency", 4))
        faults = doc.get("faults", {})
        self.patch_failure_prob = float(faults.get("patch_failure_prob", 0.01))
        for k in ("fsr_failure_prob", "vmotion_failure_prob", "host_crash_prob"):
            if float(faults.get(k, 0.0005 if k == "fsr_failure_prob" else 0)) != 0:
                raise ValueError("faults.%s must be 0 for the peer model" % k)
        # Hosts and initial placement.
        overcommit = float(cl.get("cpu_overcommit", 4.0))
        self.hosts = []  # [name, memory_gb, vcpu capacity, memory used, vcpus used]
        for g in cl["hosts"]:
            if "hardware" in g:
                raise ValueError("per-host hardware is not supported by the peer model")
            for n in expand(g):
                self.hosts.append([n, float(g["memory_gb"]), float(g["cores"]) * overcommit, 0.0, 0])
        self.vms_of = [[] for _ in self.hosts]  # per host: stun base of its VMs, in order
        for g in cl["vms"]:
            for flag in ("ft", "directpath", "vsphere_pod", "shared_disk", "host"):
                if g.get(flag):
                    raise ValueError("VM %s: %s is not supported by the peer model" % (g["name"], flag))
            if g.get("power", "on") not in ("on", True):
                raise ValueError("VM %s: only powered-on VMs are supported" % g["name"])
            mem, vcpus = float(g["memory_gb"]), int(g["vcpus"])
            base = self.stun_base + self.stun_per_gb * mem + self.stun_per_vcpu * vcpus
            for n in expand(g):
                best = -1
                for i, h in enumerate(self.hosts):
                    if h[3] + mem <= h[1] and h[4] + vcpus <= h[2]:
                        if best < 0 or h[1] - h[3] > self.hosts[best][1] - self.hosts[best][3]:
                            best = i
                if best < 0:
                    raise ValueError("VM %s fits on no host" % n)
                self.hosts[best][3] += mem
                self.hosts[best][4] += vcpus
                self.vms_of[best].append(base)


# ---- the model ------------------------------------------------------------------


class Replication:
    """The state one replication shares between its processes."""

    def __init__(self, sc, rng):
        self.sim = Simulation()
        self.sc = sc
        self.rng = rng
        self.slots = Resource(capacity=sc.max_hosts, sim=self.sim)
        self.makespan = 0.0
        self.downtime = 0.0
        self.failed = 0


class Fsr(Process):
    """The fast-suspend-resume of one VM: waits for one of its host's FSR slots."""

    def run(self, rep, host, base):
        yield request, self, host.fsr_slots
        stun = base * math.exp(rep.rng.gauss(0.0, rep.sc.stun_sigma)) if rep.sc.stun_sigma > 0 else base
        yield hold, self, stun
        rep.downtime += stun
        yield release, self, host.fsr_slots
        host.fsr_left -= 1
        if host.fsr_left == 0:
            rep.sim.reactivate(host)


class Host(Process):
    """One host's live path, from pending to done or failed."""

    def run(self, rep, vms):
        sc, rng, sim = rep.sc, rep.rng, rep.sim
        yield request, self, rep.slots  # vLCM: inventory order, max_hosts at once
        yield hold, self, sc.enter_partial_mm(rng)
        attempt = 1
        ok = False
        while True:
            yield hold, self, sc.mount_revision(rng)
            fails = rng.random() < sc.patch_failure_prob
            yield hold, self, sc.patch_revision(rng)
            if not fails:
                ok = True
                break
            yield hold, self, sc.rollback(rng)
            if attempt > sc.retry_count:
                break
            yield hold, self, sc.retry_delay
            attempt += 1
        if ok and vms:
            self.fsr_slots = Resource(capacity=sc.concurrency, sim=sim)
            self.fsr_left = len(vms)
            for base in vms:  # in inventory order: FIFO on the slots
                f = Fsr(sim=sim)
                sim.activate(f, f.run(rep, self, base))
            yield passivate, self  # the last FSR reactivates the host
        yield hold, self, sc.exit_partial_mm(rng)
        if not ok:
            rep.failed += 1
        rep.makespan = max(rep.makespan, sim.now())
        yield release, self, rep.slots


def replicate(sc, seed, r):
    """Runs replication r; returns (makespan_s, total VM downtime_s, failed hosts)."""
    rep = Replication(sc, random.Random(seed * 1000003 + r))
    for vms in sc.vms_of:
        h = Host(sim=rep.sim)
        rep.sim.activate(h, h.run(rep, vms))
    rep.sim.simulate(until=30 * 86400.0)
    return rep.makespan, rep.downtime, rep.failed


def mean_sd(xs):
    n = len(xs)
    m = sum(xs) / n
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1)) if n > 1 else 0.0
    return m, sd


def run(path, reps, seed=None):
    sc = Scenario(path)
    seed = sc.seed if seed is None else seed
    t0 = time.perf_counter()
    out = [replicate(sc, seed, r) for r in range(reps)]
    wall = time.perf_counter() - t0
    mk, mk_sd = mean_sd([o[0] for o in out])
    dt, dt_sd = mean_sd([o[1] for o in out])
    return {
        "replications": reps,
        "makespan_s": {"n": reps, "mean": mk, "sd": mk_sd},
        "downtime_total_s": {"n": reps, "mean": dt, "sd": dt_sd},
        "failed_hosts_mean": sum(o[2] for o in out) / reps,
        "wall_s": wall,
    }


def main(argv):
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("-r", "--replications", type=int, default=50)
    ap.add_argument("-s", "--seed", type=int, default=None)
    a = ap.parse_args(argv)
    print(json.dumps(run(a.scenario, a.replications, a.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
