"""Streaming CommerceML reader vs a whole-tree parse: throughput and peak memory.

Generates a CommerceML 2.10 file of the given size with the 1C fake's writer (seeded, so every
run reads the same bytes), then parses it twice, each in its own child process so one parse's
memory cannot show up in the other's figure:

* ``stream`` — ``onec_client.read_export``: iterparse, every record normalised into a pydantic
  model (or quarantined), memory released as it goes;
* ``tree`` — ``lxml.etree.parse`` of the whole file, then a walk over its documents (baseline).

Peak RSS comes from ``os.wait4`` on each child (its own ``ru_maxrss``). Throughput is wall-clock
(``stream_mb_s``) and, because a shared machine adds noise, also per CPU second
(``stream_cpu_mb_s``), and in records per second: a windows-1251 file holds the same documents
in fewer bytes, so its MB/s is lower at the same record rate. Goal: stream peak RSS under
150 MiB at any size and at least 40 MB/s.

    python bench/onec_xml.py --quick        # 100 MiB, about a minute
    python bench/onec_xml.py --full         # 1 GiB
    python bench/onec_xml.py --size 300 --encoding cp1251 --no-baseline

The last line holds the figures as key=value pairs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MIB = 1024 * 1024
GOAL_RSS_MIB = 150
GOAL_MB_S = 40


def generate(path: Path, size: int, encoding: str, seed: int) -> tuple[int, float]:
    """Write a CommerceML file of at least ``size`` bytes; returns (documents, seconds)."""
    from onec_client.fake import AS_OF, ExportStyle, generate, stream_documents, write_commerceml

    parties = generate(seed, counterparties=500, documents=0).counterparties
    guids = list(parties)
    count = 0
    started = time.perf_counter()
    with path.open("wb") as out:

        def documents():
            nonlocal count
            for doc in stream_documents(seed, guids):
                if out.tell() >= size:
                    return
                count += 1
                yield doc

        write_commerceml(
            out,
            documents(),
            parties,
            generated_at=AS_OF,
            style=ExportStyle(encoding=encoding, padded_numbers=True),
        )
    return count, time.perf_counter() - started


def child(mode: str, path: Path) -> None:
    """Runs in the child process: parse and print what was seen, as JSON (imports and
    interpreter start-up are outside the timed part)."""
    from zoneinfo import ZoneInfo

    from lxml import etree

    from onec_client import Quarantined, read_export

    started = time.perf_counter()
    cpu_started = time.process_time()
    records = quarantined = 0
    if mode == "stream":
        for item in read_export(path, ZoneInfo("Europe/Moscow")):
            if isinstance(item, Quarantined):
                quarantined += 1
            else:
                records += 1
    else:
        tree = etree.parse(str(path))
        records = sum(1 for _ in tree.getroot().iterfind("{*}Документ"))
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    result = {"records": records, "quarantined": quarantined, "seconds": seconds, "cpu": cpu}
    print(json.dumps(result))


def measure(mode: str, path: Path) -> dict[str, float]:
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", mode, str(path)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{mode} parse failed with exit code {process.returncode}")
    result = json.loads(output)
    size_mb = path.stat().st_size / 1e6
    return {
        "records": result["records"],
        "quarantined": result["quarantined"],
        "seconds": result["seconds"],
        "mb_s": size_mb / result["seconds"],
        "cpu_mb_s": size_mb / result["cpu"],
        "peak_rss_mib": usage.ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--full", action="store_true", help="1 GiB file")
    size.add_argument("--quick", action="store_true", help="100 MiB file (default)")
    size.add_argument("--size", type=float, help="file size in MiB")
    parser.add_argument("--encoding", default="utf-8", choices=["utf-8", "cp1251"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-baseline", action="store_true", help="skip the whole-tree parse")
    parser.add_argument("--keep", type=Path, help="write the file here and keep it")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return

    target_mib = 1024.0 if args.full else (args.size or 100.0)
    with tempfile.TemporaryDirectory(prefix="onec-bench-") as folder:
        path = args.keep or Path(folder) / "documents.xml"
        documents, gen_seconds = generate(path, int(target_mib * MIB), args.encoding, args.seed)
        size_mb = path.stat().st_size / 1e6
        print(
            f"generated {path.name}: {size_mb:.1f} MB, {documents} documents, "
            f"{args.encoding}, in {gen_seconds:.1f} s ({size_mb / gen_seconds:.1f} MB/s)"
        )
        stream = measure("stream", path)
        print(
            f"stream (read_export): {stream['records']:.0f} records, "
            f"{stream['quarantined']:.0f} quarantined, {stream['seconds']:.1f} s, "
            f"{stream['mb_s']:.1f} MB/s ({stream['cpu_mb_s']:.1f} MB/s of CPU time), "
            f"peak RSS {stream['peak_rss_mib']:.0f} MiB"
        )
        figures = {
            "size_mb": f"{size_mb:.1f}",
            "documents": str(documents),
            "encoding": args.encoding,
            "stream_records": f"{stream['records']:.0f}",
            "stream_quarantined": f"{stream['quarantined']:.0f}",
            "stream_mb_s": f"{stream['mb_s']:.1f}",
            "stream_cpu_mb_s": f"{stream['cpu_mb_s']:.1f}",
            "stream_records_per_s": f"{stream['records'] / stream['seconds']:.0f}",
            "stream_peak_rss_mib": f"{stream['peak_rss_mib']:.0f}",
        }
        if not args.no_baseline:
            tree = measure("tree", path)
            print(
                f"tree (lxml.etree.parse): {tree['records']:.0f} documents, "
                f"{tree['seconds']:.1f} s, {tree['mb_s']:.1f} MB/s, "
                f"peak RSS {tree['peak_rss_mib']:.0f} MiB"
            )
            figures["tree_mb_s"] = f"{tree['mb_s']:.1f}"
            figures["tree_peak_rss_mib"] = f"{tree['peak_rss_mib']:.0f}"
        rss_ok = stream["peak_rss_mib"] < GOAL_RSS_MIB
        speed_ok = stream["mb_s"] >= GOAL_MB_S
        figures["goal_rss"] = "met" if rss_ok else "missed"
        figures["goal_speed"] = "met" if speed_ok else "missed"
        print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
