"""Peak memory of export_desk and import_desk against the desk's size.

    .venv/bin/python bench/bench_backup.py            # 20 and 80 articles of ~1 MB raw HTML
    .venv/bin/python bench/bench_backup.py 50 200     # other sizes

For each size: a fresh SQLite database in a temporary directory is migrated and
filled with N articles (1 MB of raw HTML, 300 kB of text, 5 claims and their
log rows each); then ``export_desk`` and ``import_desk`` (into a second fresh
database) each run in their own process, and their peak RSS (VmHWM) is
printed. Bounded memory means the peak does not grow with N.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FILL = r"""
import sys, django
django.setup()
from claims.models import Article, Claim, ClaimLog
n = int(sys.argv[1])
html = "<p>" + ("The council said rates rose 4.9% this year. " * 23000) + "</p>"
for i in range(n):
    a = Article.objects.create(title=f"Article {i}", raw_html=html, text=html[3:300003],
                               content_hash=f"h{i}", status="extracted")
    for j in range(5):
        c = Claim.objects.create(article=a, text=f"Claim {j}", start=0, end=5,
                                 sentence_index=j, score=0.8)
        ClaimLog.objects.create(claim=c, action="claim.extracted")
"""

PEAK = r"""
import runpy, sys, resource
sys.argv = ["manage.py", *sys.argv[1:]]
try:
    runpy.run_path("manage.py", run_name="__main__")
finally:
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            print("PEAK_KB", line.split()[1], file=sys.stderr)
"""


def run(env, *args, code=None):
    cmd = [sys.executable, "-c", code, *args] if code else [sys.executable, *args]
    t0 = time.monotonic()
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr)
    peak = next((int(x.split()[1]) for x in out.stderr.splitlines() if x.startswith("PEAK_KB")), 0)
    return peak, time.monotonic() - t0


def main(sizes):
    print(
        f"{'articles':>8} {'db MB':>7} {'archive MB':>10} {'export peak MB':>15} "
        f"{'export s':>9} {'import peak MB':>15} {'import s':>9}"
    )
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            src = dict(
                os.environ,
                DJANGO_SETTINGS_MODULE="factcheck.settings",
                DATABASE_URL=f"sqlite:///{tmp}/src.sqlite3",
                MEDIA_ROOT=str(tmp / "m1"),
            )
            dst = dict(src, DATABASE_URL=f"sqlite:///{tmp}/dst.sqlite3", MEDIA_ROOT=str(tmp / "m2"))
            for env in (src, dst):
                run(env, "manage.py", "migrate", "-v0")
            run(src, str(n), code=FILL)
            archive = tmp / "desk.tar.gz"
            exp_peak, exp_s = run(src, "export_desk", str(archive), code=PEAK)
            imp_peak, imp_s = run(dst, "import_desk", str(archive), code=PEAK)
            db_mb = (tmp / "src.sqlite3").stat().st_size / 1e6
            print(
                f"{n:>8} {db_mb:>7.0f} {archive.stat().st_size / 1e6:>10.1f} "
                f"{exp_peak / 1024:>15.0f} {exp_s:>9.1f} {imp_peak / 1024:>15.0f} "
                f"{imp_s:>9.1f}"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [20, 80])
