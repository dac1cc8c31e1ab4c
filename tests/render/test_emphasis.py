from azresp_cli.render.emphasis import BoldMarkers


def test_bold_markers_split_across_deltas_become_bold_runs() -> None:
    markers = BoldMarkers()
    runs = [
        *markers.feed("**Plan"),
        *markers.feed("ning*"),
        *markers.feed("*\n\nThen a "),
        *markers.feed("step"),
    ]
    assert "".join(text for text, _ in runs) == "Planning\n\nThen a step"
    assert [text for text, bold in runs if bold] == ["Plan", "ning"]


def test_a_single_star_is_kept_as_text() -> None:
    markers = BoldMarkers()
    runs = [*markers.feed("2 * 3"), *markers.feed(" = 6*"), *markers.feed(" done")]
    assert "".join(text for text, _ in runs) == "2 * 3 = 6* done"
    assert not any(bold for _, bold in runs)
