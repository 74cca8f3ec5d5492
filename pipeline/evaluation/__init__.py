"""Evaluation: score predictions against gold annotations and report how far to trust each label.

``evaluate()`` returns every number as plain rows (tested scorer); ``report.write_report()``
presents them (terminal table, report.md, report.html, CSV files). Only this subpackage imports
pandas and matplotlib, and only in ``report`` and the modules it uses.
"""
from .evaluator import SCORE_COLUMNS, Evaluation, evaluate

__all__ = ["SCORE_COLUMNS", "Evaluation", "evaluate"]
