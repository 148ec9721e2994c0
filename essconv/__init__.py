"""essconv: framework conventions and their financing plans, for public-finance analysts.

    >>> import essconv
    >>> conv = essconv.default()            # the 2009–2013 ESS convention, Nord–Pas de Calais
    >>> plan = conv.plan(2009)              # Annex 1, exactly as printed, in k€
    >>> plan.total()                        # exact, from the cells
    Decimal('8105')
    >>> [f.code for f in plan.validate()]
    ['row-total', 'malformed-number', 'column-total', 'grand-total', 'cell-correction']
"""
from .errors import (AmountError, DescriptionError, Error, MissingExtraError,
                     MoneyOverflowError, NoPlanError, ParseError, PlanFormatError, Problem,
                     UnknownLabelError)
from .errors import FileChangedError
from .money import format_amount, parse_amount
from .plan import Finding, Plan, Report, read_plan
from .convention import Convention, default, load
from .ledger import Aggregate, Ledger
from .scdl import read_scdl, validate_scdl

__version__ = "0.1.0"

__all__ = [
    "Aggregate", "Ledger", "AmountError", "Convention", "DescriptionError", "Error", "Finding", "MissingExtraError",
    "MoneyOverflowError", "NoPlanError", "ParseError", "Plan", "PlanFormatError", "Problem",
    "Report", "UnknownLabelError", "default", "format_amount", "load", "parse_amount",
    "read_plan", "read_scdl", "validate_scdl", "__version__",
    "FileChangedError",
]
