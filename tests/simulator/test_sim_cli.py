"""``python -m shopify_simulator``: one line with the URL when ready; loopback only."""
import subprocess
import sys
from pathlib import Path

import requests

from shopify_simulator.generator import generate
from shopify_simulator.scenario import dump_scenario

ROOT = Path(__file__).resolve().parents[2]


def _start(*args):
    return subprocess.Popen(
        [sys.executable, "-m", "shopify_simulator", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _ready_url(process):
    line = process.stdout.readline()  # the server prints exactly one line when it listens
    assert "ready at http://127.0.0.1:" in line, (line, process.stderr.read() if process.poll() else "")
    return line.rsplit(" ", 1)[1].strip()


def _query(url, token, query="{ ordersCount(limit: null) { count } }"):
    response = requests.post(f"{url}/admin/api/2026-10/graphql.json", json={"query": query},
                             headers={"X-Shopify-Access-Token": token}, timeout=10)
    return response.json()["data"]


def test_the_cli_serves_generated_orders_until_terminated():
    process = _start("--port", "0", "--orders", "25", "--seed", "3", "--token", "shpat_cli", "--plan", "advanced")
    try:
        url = _ready_url(process)
        assert _query(url, "shpat_cli") == {"ordersCount": {"count": 25}}
        status = requests.post(f"{url}/admin/api/2026-10/graphql.json", json={"query": "{ shop { name } }"},
                               headers={"X-Shopify-Access-Token": "shpat_cli"}, timeout=10).json()
        assert status["extensions"]["cost"]["throttleStatus"]["restoreRate"] == 200
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_the_cli_serves_a_scenario_file(tmp_path):
    path = tmp_path / "shop.json"
    dump_scenario(generate(9, 4), path)
    process = _start("--scenario", str(path), "--token", "t")
    try:
        assert _query(_ready_url(process), "t") == {"ordersCount": {"count": 4}}
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_cli_refuses_a_host_that_is_not_loopback():
    process = _start("--host", "0.0.0.0", "--orders", "1")
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "loopback" in err
