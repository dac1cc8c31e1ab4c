import pytest

from azresp_cli.core.endpoint import normalize_endpoint
from azresp_cli.core.errors import ConfigError, ExitCode

V1 = "https://myres.openai.azure.com/openai/v1/"
COG = "https://myres.cognitiveservices.azure.com/openai/v1/"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://myres.openai.azure.com", V1),
        ("https://myres.openai.azure.com/", V1),
        ("https://myres.openai.azure.com/openai/v1", V1),
        ("https://myres.openai.azure.com/openai/v1/", V1),
        ("https://myres.openai.azure.com/openai/v1/responses", V1),
        ("  https://MyRes.openai.azure.com/openai/v1/  ", V1),
        ("https://myres.cognitiveservices.azure.com", COG),
        ("https://myres.cognitiveservices.azure.com/openai/v1/", COG),
        ("https://myres.cognitiveservices.azure.com/openai/v1/responses", COG),
        ("http://localhost:8000", "http://localhost:8000/openai/v1/"),
        ("http://127.0.0.1:5000/openai/v1/", "http://127.0.0.1:5000/openai/v1/"),
        ("http://[::1]:5000/openai/v1", "http://[::1]:5000/openai/v1/"),
    ],
)
def test_accepted_forms_normalize_to_the_v1_base_url(raw: str, expected: str) -> None:
    assert normalize_endpoint(raw) == expected


@pytest.mark.parametrize(
    ("raw", "hint_fragment"),
    [
        (
            "https://myres.openai.azure.com/openai/deployments/gpt-4o/chat/completions"
            "?api-version=2024-10-21",
            "-m/--model",
        ),
        ("https://myhub.services.ai.azure.com/api/projects/proj1", "openai.azure.com"),
        ("http://myres.openai.azure.com", "https://"),
        ("myres.openai.azure.com", "https://"),
        ("not a url", "https://"),
        ("ftp://myres.openai.azure.com", "https://"),
        ("https://myres.openai.azure.com/some/other/path", "/openai/v1"),
        ("", "resource URL"),
    ],
)
def test_refused_forms_say_what_to_use_instead(raw: str, hint_fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        normalize_endpoint(raw)
    assert caught.value.exit_code == ExitCode.USAGE
    assert hint_fragment in caught.value.hint
