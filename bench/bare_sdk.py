"""The baseline client: the same streamed request with nothing but the openai SDK.

Run as a script (``python bench/bare_sdk.py PROMPT``) with AZURE_OPENAI_ENDPOINT,
AZURE_OPENAI_API_KEY and AZURE_OPENAI_DEPLOYMENT set; it writes each text delta as it
arrives, like ``azresp chat PROMPT`` on a pipe. It imports nothing from bench or azresp.
"""

from __future__ import annotations

import os
import sys

from openai import OpenAI


def main() -> None:
    client = OpenAI(
        base_url=os.environ["AZURE_OPENAI_ENDPOINT"], api_key=os.environ["AZURE_OPENAI_API_KEY"]
    )
    stream = client.responses.create(
        model=os.environ["AZURE_OPENAI_DEPLOYMENT"], input=sys.argv[1], stream=True
    )
    for event in stream:
        if event.type == "response.output_text.delta":
            sys.stdout.write(event.delta)
            sys.stdout.flush()
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
