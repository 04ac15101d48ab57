#!/usr/bin/env python3
"""Summarise a collapsed-stack profile written by -Dbench.async-profiler=DIR: share of the
samples per thread kind, top self frames, and the inclusive share of Disker, Spring, Jackson
and Lettuce frames.

usage: collapsed-summary.py FILE.collapsed [FRAME-SUBSTRING]
With FRAME-SUBSTRING, only stacks that contain it are counted."""
import collections
import sys

path = sys.argv[1]
focus = sys.argv[2] if len(sys.argv) > 2 else None
self_samples = collections.Counter()
inclusive = collections.Counter()
threads = collections.Counter()
total = 0
THREADS = ['HandlerWorkers.work', 'FetchLoop.run', 'SingleThreadIoEventLoop.run', 'ReplyInbox', 'C2Compiler',
           'C1Compiler', 'G1']
for line in open(path):
    stack, count = line.rstrip().rsplit(' ', 1)
    count = int(count)
    frames = stack.split(';')
    if focus and not any(focus in frame for frame in frames):
        continue
    total += count
    threads[next((name for name in THREADS if name in stack), 'other')] += count
    self_samples[frames[-1]] += count
    for frame in set(frames):
        inclusive[frame] += count
if not total:
    sys.exit('no samples')
print(f'{total} samples')
print('--- threads (by the frame that identifies them)')
for name, count in threads.most_common():
    print(f'{100 * count / total:5.1f}% {name}')
print('--- self')
for name, count in self_samples.most_common(40):
    print(f'{100 * count / total:5.1f}% {name}')
print('--- inclusive (Disker, Spring, Jackson, Lettuce)')
shown = 0
for name, count in inclusive.most_common():
    if any(part in name for part in ('io/disker', 'springframework', 'jackson', 'lettuce')):
        print(f'{100 * count / total:5.1f}% {name}')
        shown += 1
        if shown == 60:
            break
