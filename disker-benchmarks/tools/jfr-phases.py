#!/usr/bin/env python3
"""Aggregate the JFR execution samples taken inside the benchmark's ProfiledPhase windows.

usage: jfr-phases.py recording.jfr phase-prefix [windows-to-skip]
  e.g. jfr-phases.py consume.jfr queue.consume.disker 4   (skips the 4 warm-up drains)
Prints the sampled threads, the first library frame of each stack, the top self frames and the
top inclusive Disker/Spring/Jackson frames. Environment: JFR (the jfr tool, default: jfr on PATH),
CALLERS=Frame.method,... (callers of those frames), UNDER=Frame.method,... (what runs under them).
"""
import json, subprocess, sys, collections, datetime, os
JFR = os.environ.get('JFR', 'jfr')
f, prefix = sys.argv[1], sys.argv[2]
skip = int(sys.argv[3]) if len(sys.argv) > 3 else 0
def events(kind, depth=64):
    out = subprocess.run([JFR, 'print', '--json', '--stack-depth', str(depth), '--events', kind, f],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)['recording']['events']
def ts(s):
    return datetime.datetime.fromisoformat(s.replace('Z', '+00:00')).timestamp()
def dur(d):  # ISO-8601 duration like PT1.234S
    return float(d[2:-1]) if d.endswith('S') and d.startswith('PT') else 0
wins = []
for e in events('io.disker.benchmarks.ProfiledPhase'):
    v = e['values']
    if v['phase'].startswith(prefix):
        s = ts(v['startTime']); wins.append((s, s + dur(v['duration']), v['phase']))
wins.sort()
wins = wins[skip:]
print(f'{len(wins)} windows of {prefix}, total {sum(b-a for a,b,_ in wins):.2f} s')
selfc = collections.Counter(); incl = collections.Counter(); threads = collections.Counter(); cats = collections.Counter()
n = 0
def name(fr):
    m = fr['method']; t = m['type']['name']
    return t.replace('/', '.') + '.' + m['name']
def cat(frames):
    # first frame (from the top) that belongs to a known category
    for fr in frames:
        t = fr['method']['type']['name'].replace('/', '.')
        for key, c in [('tools.jackson', 'jackson (JSON)'), ('io.netty', 'netty'), ('io.lettuce', 'lettuce'),
                       ('org.springframework.messaging', 'spring-messaging'), ('io.micrometer', 'micrometer/observation'),
                       ('io.disker', 'disker'), ('org.springframework', 'spring other'), ('sun.nio', 'nio/syscalls'),
                       ('java.util.concurrent', 'j.u.concurrent')]:
            if t.startswith(key):
                return c
    return 'jdk other'
for e in events('jdk.ExecutionSample'):
    v = e['values']; t = ts(v['startTime'])
    if not any(a <= t <= b for a, b, _ in wins):
        continue
    st = v['stackTrace']
    if not st: continue
    frames = st['frames']
    n += 1
    selfc[name(frames[0])] += 1
    for nm in set(name(fr) for fr in frames):
        incl[nm] += 1
    th = v['sampledThread']['javaName'] or '?'
    threads[th.rstrip('0123456789')] += 1
    cats[cat(frames)] += 1
print(f'{n} samples')
print('\n== threads'); [print(f'{c*100/n:5.1f}% {k}') for k, c in threads.most_common(12)]
print('\n== self time by first library frame'); [print(f'{c*100/n:5.1f}% {k}') for k, c in cats.most_common()]
print('\n== top self frames'); [print(f'{c*100/n:5.1f}% {k}') for k, c in selfc.most_common(30)]
print('\n== top inclusive io.disker / spring / jackson frames')
shown = 0
for k, c in incl.most_common(400):
    if k.startswith(('io.disker', 'org.springframework.messaging', 'tools.jackson', 'io.micrometer', 'org.springframework.core')):
        print(f'{c*100/n:5.1f}% {k}'); shown += 1
        if shown >= 45: break
# callers of chosen hot frames
for target in os.environ.get('CALLERS', '').split(','):
    if not target: continue
    callers = collections.Counter()
    for e in events('jdk.ExecutionSample', 12):
        v = e['values']; t = ts(v['startTime'])
        if not any(a <= t <= b for a, b, _ in wins): continue
        st = v['stackTrace']
        if not st: continue
        fr = [name(x) for x in st['frames']]
        if fr and fr[0].endswith(target):
            callers[' <- '.join(x.split('.')[-2] + '.' + x.split('.')[-1] for x in fr[1:7])] += 1
    print(f'\n== callers of {target}')
    [print(f'{c*100/n:5.1f}% {k}') for k, c in callers.most_common(6)]
# inclusive frames under a chosen frame, one level down
for target in os.environ.get('UNDER', '').split(','):
    if not target: continue
    below = collections.Counter(); tot = 0
    for e in events('jdk.ExecutionSample', 64):
        v = e['values']; t = ts(v['startTime'])
        if not any(a <= t <= b for a, b, _ in wins): continue
        st = v['stackTrace']
        if not st: continue
        fr = [name(x) for x in st['frames']]
        for i, x in enumerate(fr):
            if x.endswith(target):
                tot += 1
                below[' > '.join(y.split('.')[-2] + '.' + y.split('.')[-1] for y in reversed(fr[max(0, i-2):i]))] += 1
                break
    print(f'\n== under {target}: {tot*100/n:.1f}%')
    [print(f'{c*100/n:5.1f}% {k}') for k, c in below.most_common(12)]
