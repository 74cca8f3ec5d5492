import pandas as pd

from pipeline.report.spans_table import write_spans_csv


def test_spans_csv_defuses_spreadsheet_formulas(tmp_path):
    record = {
        "doc_id": '=HYPERLINK("http://x")',
        "spans": [{"start": 0, "end": 4, "label": "PLACE", "text": "Seoul", "kb_id": "Seoul", "value": None, "rule": "place.seoul"}],
    }
    path = tmp_path / "spans.csv"
    write_spans_csv([record], path, append=False)
    frame = pd.read_csv(path, keep_default_na=False)
    assert frame.loc[0, "doc_id"] == '\'=HYPERLINK("http://x")'
    assert frame.loc[0, "text"] == "Seoul" and frame.loc[0, "value"] == ""
