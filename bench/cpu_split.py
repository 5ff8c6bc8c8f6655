#!/usr/bin/env python3
"""CPU per request per process during a bench/run.sh run (bench/NOTES.md, session-9 run).

  bench/cpu_split.py record SAMPLES      # beside bench/run.sh; stop it with Ctrl-C or kill when the run ends
  bench/cpu_split.py report SAMPLES RAW  # RAW: the run's raw/ directory of wrk outputs

`record` writes once a second every process class's CPU time from /proc (100 = one core) and the running wrk
target (threads, connections, URL); `report` splits it by measured run (the last three windows of at least
9 s per wrk target, which bench/run.sh runs in that order after its warm-ups) and divides by that run's
requests/s, read from the run's wrk output. Ports and wrk settings are bench/run.sh's own. Workers of the
backend nginx (http-call, proxy) count as `nginx`: in a resty4j row that column is the backend.
"""
import collections, os, re, sys, time

RUN_SH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'run.sh')
CLASSES = ['nginx', 'r4j', 'r4j-js', 'vertx', 'redis', 'wrk', 'other']
SYSTEM = ['idle', 'softirq', 'steal']


def classify(pid):
    try:
        cmd = open(f'/proc/{pid}/cmdline', 'rb').read().replace(b'\0', b' ').decode(errors='replace')
    except OSError:
        return None, None
    exe = cmd.split(' ')[0]
    if exe.endswith('wrk'): return 'wrk', cmd
    if 'nginx' in cmd: return 'nginx', cmd
    if 'redis-server' in cmd: return 'redis', cmd
    if 'java' in exe:
        if 'VertxHello' in cmd: return 'vertx', cmd
        return ('r4j-js' if 'resty4j-js.conf' in cmd else 'r4j'), cmd
    return 'other', cmd


def servers_by_port():
    """Port -> (server, workload prefix), from bench/run.sh's port assignments, so the two cannot drift apart."""
    port = dict(re.findall(r'\b([A-Z_]+_PORT)=(\d+)', open(RUN_SH).read()))
    return {port['NGINX_PORT']: ('nginx', ''), port['RESTY_PORT']: ('resty4j', ''),
            port['RESTY_JS_PORT']: ('resty4j', 'js-'), port['VERTX_PORT']: ('vertx', '')}


def process_ticks():
    ticks = {}
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                stat = open(f'/proc/{p}/stat').read()
                fields = stat[stat.rfind(')') + 2:].split()
                ticks[p] = int(fields[11]) + int(fields[12])  # utime + stime
            except OSError:
                pass
    return ticks


def system_ticks():
    return list(map(int, open('/proc/stat').readline().split()[1:]))


def record(path):
    hz, cores = os.sysconf('SC_CLK_TCK'), os.cpu_count()
    out, known = open(path, 'w', buffering=1), {}
    prev, prev_sys = process_ticks(), system_ticks()
    while True:
        time.sleep(1)
        cur, cur_sys = process_ticks(), system_ticks()
        per_class, target = collections.Counter(), '-'
        for pid, t in cur.items():
            if pid not in known: known[pid] = classify(pid)  # once per process: /proc/PID/cmdline is not free
            cls, cmd = known[pid]
            if cls is None: continue
            if cls == 'wrk':
                args = cmd.split()
                setting = ''.join(a[1:] for a in args if a.startswith(('-t', '-c')))  # as run.sh names it: t1c50
                target = setting + ':' + args[-1].split('//')[-1]
            per_class[cls] += t - prev.get(pid, t)
        d = [a - b for a, b in zip(cur_sys, prev_sys)]
        total = sum(d) or 1
        system = dict(idle=d[3], softirq=d[6], steal=d[7])
        out.write('%d %s %s %s\n' % (time.time(), target,
                                     ' '.join(f'{k}={v * 100 // hz}' for k, v in sorted(per_class.items()) if v),
                                     ' '.join(f'{k}={100 * cores * v // total}' for k, v in system.items())))
        prev, prev_sys = cur, cur_sys


def report(path, raw):
    windows = []  # [target, [samples]]
    for line in open(path):
        parts = line.split()
        sample = {k: int(v) for k, v in (kv.split('=') for kv in parts[2:])}
        if windows and windows[-1][0] == parts[1]: windows[-1][1].append(sample)
        else: windows.append([parts[1], [sample]])
    runs = collections.defaultdict(list)
    for target, samples in windows:
        if target != '-' and len(samples) >= 9: runs[target].append(samples[1:-1])  # edges are partial seconds
    print('%-8s %-14s %-7s %8s ' % ('server', 'workload', 'wrk', 'req/s') + ' '.join('%7s' % c for c in CLASSES + SYSTEM))
    print('%-39s' % '' + ' '.join('%7s' % 'µs/req' for _ in CLASSES) + ' ' + ' '.join('%7s' % '%' for _ in SYSTEM))
    cores, servers = os.cpu_count(), servers_by_port()
    for target, measured in runs.items():
        m = re.match(r'(t\d+c\d+):[\d.]+:(\d+)/(.*)', target)
        if not m or m.group(2) not in servers: continue
        setting, port, name = m.groups()
        server, prefix = servers[port]
        workload = prefix + name
        for rep, samples in enumerate(measured[-3:], 1):
            try:
                rps = float(re.search(r'Requests/sec:\s+([\d.]+)', open(os.path.join(raw, f'{server}-{workload}-{setting}-r{rep}.txt')).read()).group(1))
            except (OSError, AttributeError):
                continue
            mean = {c: sum(s.get(c, 0) for s in samples) / len(samples) for c in CLASSES + SYSTEM}
            print('%-8s %-14s %-7s %8.0f ' % (server, workload, setting, rps)
                  + ' '.join('%7.1f' % (mean[c] * 1e4 / rps) for c in CLASSES)  # 100 ticks/s = 1e6 µs/s
                  + ' ' + ' '.join('%6.0f%%' % (mean[c] / cores) for c in SYSTEM))


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'record': record(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == 'report': report(sys.argv[2], sys.argv[3])
    else: sys.exit(__doc__)
