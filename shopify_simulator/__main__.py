"""``python -m shopify_simulator``: serve one simulated shop until interrupted."""
import argparse
import signal
import threading

from .bucket import RESTORE_RATES
from .simulator import Simulator


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m shopify_simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="a loopback address (anything else is refused)")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--token", default="shpat_test", help="a static access token that never expires")
    parser.add_argument("--plan", choices=sorted(RESTORE_RATES), default="standard")
    parser.add_argument("--taxes-included", action="store_true")
    parser.add_argument("--scenario", help="a scenario JSON file served instead of generated orders")
    parser.add_argument("--client-id")
    parser.add_argument("--client-secret")
    parser.add_argument("--token-ttl", type=int, default=86400, help="lifetime of client-credentials tokens (s)")
    parser.add_argument("--shop", default="synco-demo.myshopify.com")
    parser.add_argument("--currency", default="USD", help="the shop's currency (USD, EUR, GBP, CAD, AUD, JPY)")
    parser.add_argument("--webhook-secret", help="signs webhooks when no --client-secret is given")
    parser.add_argument("--webhook-retry-scale", type=float, default=0.001,
                        help="Shopify's 4 hours of webhook retries times this (0.001: about 14 s)")
    parser.add_argument("--webhook-timeout", type=float, default=5.0, help="seconds a webhook receiver has to answer")
    args = parser.parse_args(argv)
    try:
        sim = Simulator(
            orders=args.orders, seed=args.seed, token=args.token, plan=args.plan,
            taxes_included=args.taxes_included, scenario=args.scenario, client_id=args.client_id,
            client_secret=args.client_secret, token_ttl=args.token_ttl, shop=args.shop,
            host=args.host, port=args.port, currency=args.currency, webhook_secret=args.webhook_secret,
            webhook_retry_scale=args.webhook_retry_scale, webhook_timeout=args.webhook_timeout,
        )
    except ValueError as refused:
        parser.error(str(refused))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with sim:
        print(f"Shopify simulator for {args.shop} ready at {sim.base_url}", flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
