"""Peak memory of one request to each article endpoint, as the article grows.

Builds a throwaway SQLite database with articles of increasing size (1,000,
5,000 and 20,000 sentences by default; 20,000 is about 1.5 MB of text, with its
HTML about as much again), one claim per sentence, then requests each endpoint
once in a fresh process: the process warms up on a tiny article (imports,
templates), resets its peak-RSS counter (``/proc/self/clear_refs``), makes the
request and reports how far its resident memory peaked above where it started.
Each child runs under an address-space limit (``--limit-mb``, 4 GB by default)
and a time limit (``--timeout``), so a request that would exhaust the machine
fails with MemoryError, or is stopped, instead.

    .venv/bin/python bench/bench_request_memory.py [--sizes 1000,5000,20000]

``--doors`` measures what a request *body* costs instead, at every door that
takes a POST, against a real gunicorn served as ``bin/run`` serves it (DEBUG
off, one sync worker, started afresh for each row): the probe's hostile body
(``%C3%A9`` repeated 2.6 million times, 15.7 MB, urlencoded), the largest
article ``MAX_ARTICLE_BYTES`` allows (real article text, repeated) through
each door that takes one, and the largest body an article door takes. The
worker is warmed with the same request, small; then its peak-RSS counter is
reset and the row's request sent. The figure is the worker's peak resident
memory above where it stood before the request (``/proc/<pid>/status``).

    .venv/bin/python bench/bench_request_memory.py --doors

``--parse-cost`` measures what ``extraction.html_to_document`` costs by the
page's size (real article paragraphs, repeated), each in a fresh process: the
figures ``PARSE_IN_REQUEST_MAX_BYTES`` is chosen from (a page over it is parsed
by the worker, not in the request).

    .venv/bin/python bench/bench_request_memory.py --parse-cost

Goal: at most 100 MB per request, whatever the article's size, whatever is sent.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENDPOINTS = {
    "GET /api/articles/N/": "/api/articles/{pk}/",
    "GET /articles/N/": "/articles/{pk}/",
    "GET /articles/N/live/": "/articles/{pk}/live/",
    "GET /admin/claims/article/N/change/": "/admin/claims/article/{pk}/change/",
    "GET /admin/claims/claim/?article=N": "/admin/claims/claim/?article__id__exact={pk}",
    "GET /articles/": "/articles/",
    "GET /api/articles/": "/api/articles/",
}


def _setup_env(tmp: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["FACTCHECK_VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["AXES_ENABLED"] = "False"


def build_article(n_sentences: int, tag: str):
    from claims.models import Article, Claim

    pieces, spans, pos = [], [], 0
    for i in range(n_sentences):
        sentence = (
            f"In {tag} sentence {i}, the minister said spending rose by "
            f"{i % 90 + 1} per cent to {i * 7} million."
        )
        sep = "\n\n" if i % 8 == 7 else " "
        spans.append((pos, pos + len(sentence)))
        pieces.append(sentence + sep)
        pos += len(sentence) + len(sep)
    text = "".join(pieces)
    html = (
        "<html><body><article>"
        + "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        + "</article></body></html>"
    )
    article = Article.objects.create(
        title=f"Budget {tag}",
        text=text,
        raw_html=html,
        content_hash=f"bench-{tag}",
        status=Article.Status.EXTRACTED,
        sentence_count=n_sentences,
        links=[{"href": f"https://example.org/{i}", "text": f"link {i}"} for i in range(500)],
    )
    Claim.objects.bulk_create(
        (
            Claim(
                article=article,
                text=text[s:e],
                start=s,
                end=e,
                sentence_index=i,
                score=(i % 97) / 97,
                claim_type="quantity",
                status="queued",
            )
            for i, (s, e) in enumerate(spans)
        ),
        batch_size=2000,
    )
    return article, len(text), len(html)


def parent(args) -> None:
    tmp = tempfile.mkdtemp(prefix="fc-bench-mem-")
    _setup_env(tmp)
    try:
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.core.management import call_command
        from knox.models import AuthToken

        call_command("migrate", verbosity=0)
        alice = get_user_model().objects.create_user("alice", password="x", is_staff=True)
        alice.groups.add(Group.objects.get(name="Editors"))
        token = AuthToken.objects.create(alice)[1]  # knox: the key is shown once
        warm, _, _ = build_article(10, "warm")
        sizes = [int(s) for s in args.sizes.split(",")]
        articles = []
        for n in sizes:
            started = time.perf_counter()
            article, text_len, html_len = build_article(n, f"s{n}")
            articles.append((n, article.pk, text_len, html_len))
            print(
                f"built {n:,} sentences / claims: text {text_len / 1e6:.2f} MB, "
                f"HTML {html_len / 1e6:.2f} MB ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )

        rows = []
        for name, pattern in ENDPOINTS.items():
            for n, pk, _, _ in articles:
                result = run_child(tmp, pattern, warm.pk, pk, token, args.limit_mb, args.timeout)
                rows.append((name, n, result))
                print(f"  {name} at {n:,}: {fmt(result)}", flush=True)

        print()
        print(
            f"Peak RSS above the process's start, one request each "
            f"(child limit {args.limit_mb:,} MB):"
        )
        header = "| endpoint | " + " | ".join(f"{n:,} sentences" for n, *_ in articles) + " |"
        print(header)
        print("|" + "---|" * (len(articles) + 1))
        for name in ENDPOINTS:
            cells = [fmt(r) for e, _, r in rows if e == name]
            print(f"| `{name}` | " + " | ".join(cells) + " |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def fmt(result: dict) -> str:
    if result.get("error"):
        return result["error"]
    return f"{result['peak_mb']:.1f} MB, {result['seconds']:.2f} s, {result['bytes'] / 1e3:,.0f} kB"


def run_child(tmp, pattern, warm_pk, pk, token, limit_mb, timeout) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        json.dumps(
            {
                "tmp": tmp,
                "warm": pattern.format(pk=warm_pk),
                "url": pattern.format(pk=pk),
                "token": token,
                "limit_mb": limit_mb,
            }
        ),
    ]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {timeout} s"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    if "MemoryError" in done.stderr:
        return {"error": f"MemoryError (> {limit_mb:,} MB)"}
    return {"error": f"failed: {tail[:80]}"}


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def child(spec: dict) -> None:
    limit = spec["limit_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _setup_env(spec["tmp"])
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    client.force_login(get_user_model().objects.get(username="alice"))
    headers = {"HTTP_AUTHORIZATION": f"Token {spec['token']}"} if "/api/" in spec["url"] else {}
    assert client.get(spec["warm"], **headers).status_code == 200
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to now
    before = _status_kb("VmRSS")
    started = time.perf_counter()
    response = client.get(spec["url"], **headers)
    size = len(response.content)
    seconds = time.perf_counter() - started
    peak = _status_kb("VmHWM")
    if response.status_code != 200:
        print(json.dumps({"error": f"HTTP {response.status_code}"}))
        return
    print(json.dumps({"peak_mb": max(peak - before, 0) / 1024, "seconds": seconds, "bytes": size}))


PARSE_SIZES = (256 * 1024, 512 * 1024, 1024 * 1024, 2 * 1024 * 1024, 5 * 1024 * 1024)


def parse_cost() -> None:
    print("| page | parse peak RSS | MB per MiB | time |")
    print("|---|---|---|---|")
    for size in PARSE_SIZES:
        cmd = [sys.executable, __file__, "--parse-child", str(size)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        peak, seconds = json.loads(done.stdout.splitlines()[-1])
        print(
            f"| {size / 1024 / 1024:g} MiB | {peak:.1f} MB | {peak / (size / 1024 / 1024):.0f} "
            f"| {seconds:.2f} s |",
            flush=True,
        )


def parse_child(size: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_request_bodies import largest_article

    from claims import extraction

    extraction.html_to_document(largest_article(20_000, "warm").decode())  # imports, caches
    html = largest_article(size, "page").decode()
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kb("VmRSS")
    started = time.perf_counter()
    extraction.html_to_document(html)
    seconds = time.perf_counter() - started
    print(json.dumps([(_status_kb("VmHWM") - before) / 1024, seconds]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,5000,20000", help="article sizes in sentences (one claim each)"
    )
    parser.add_argument(
        "--limit-mb", type=int, default=4096, help="address-space limit of each request's process"
    )
    parser.add_argument(
        "--timeout", type=int, default=600, help="seconds before a request's process is stopped"
    )
    parser.add_argument("--doors", action="store_true", help="measure request bodies per door")
    parser.add_argument(
        "--parse-cost", action="store_true", help="measure parsing a page, by its size"
    )
    parser.add_argument("--parse-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.parse_child:
        parse_child(args.parse_child)
    elif args.parse_cost:
        parse_cost()
    elif args.child:
        child(json.loads(args.child))
    elif args.doors:
        import bench_request_bodies

        bench_request_bodies.main(ROOT)
    else:
        parent(args)


if __name__ == "__main__":
    main()
