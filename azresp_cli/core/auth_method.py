"""How azresp signs in: its own module, so the CLI can declare `--auth` without the config."""

from __future__ import annotations

import enum


class AuthMethod(enum.StrEnum):
    AUTO = "auto"  # the api key when one is set, else DefaultAzureCredential
    KEY = "key"
    CLI = "cli"  # AzureCliCredential (az login)
    ENV = "env"  # EnvironmentCredential (AZURE_CLIENT_ID/SECRET/TENANT_ID ...)
    MI = "mi"  # ManagedIdentityCredential
    DAC = "dac"  # DefaultAzureCredential, even when a key is set
