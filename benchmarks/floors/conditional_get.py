"""Floor of the unchanged refresh: import requests, send one GET with If-None-Match, exit.

    python benchmarks/floors/conditional_get.py URL ETAG
"""

import sys

import requests

response = requests.get(sys.argv[1], headers={"If-None-Match": sys.argv[2]}, timeout=30)
if response.status_code != 304:
    sys.exit(f"expected 304 Not Modified, got {response.status_code}")
