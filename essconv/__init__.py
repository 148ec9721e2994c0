"""essconv: framework conventions and their financing plans, for public-finance analysts.

    >>> import essconv
    >>> conv = essconv.default()            # the 2009–2013 ESS convention, Nord–Pas de Calais
    >>> plan = conv.plan(2009)              # Annex 1, exactly as printed, in k€
    >>> plan.total()                        # exact, from the cells
    Decimal('8105')
    >>> [f.code for f in plan.validate()]
    ['row-total', 'malformed-number', 'column-total', 'grand-total', 'cell-correction']
"""
# Run from the root of a clone (``python -m essconv`` where the README says to), the source folder
# essconv/ comes first on sys.path and shadows the installed package; it has no built _core.
# extend_path, the standard library's way to spread one package over several directories, appends
# every other essconv/ directory on sys.path (the installed copy in site-packages) to __path__, so
# ``import essconv._core`` finds the built extension there.  The package's own directory stays
# first: an in-place or editable build is still the one imported.
from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)

from .errors import (AmbiguityError, AmountError, DescriptionError, Error, MissingExtraError,
                     MoneyOverflowError, NoPlanError, ParseError, PlanFormatError, Problem, BadRow,
                     UnknownLabelError)
from .errors import ConditionError, EssconvWarning, MixedEncodingWarning, NothingMatchedWarning
from .errors import FileChangedError, InputClosedError, OutputClosedError
from .money import format_amount, parse_amount
from .findings import Finding, Report
from .plan import Plan, read_plan
from .convention import Convention
from .description import default, load
from .ledger import Aggregate, Ledger
from . import sql   # noqa: F401,E402  (lends Ledger.read_sql its reader: sql builds ledgers, above them)
from .scdl import read_scdl, validate_scdl

from .convention import Source   # where a fact of a convention comes from
from .errors import AmountTypeError, DatabaseError

__version__ = "0.1.0"

__all__ = [
    "Aggregate", "Ledger", "AmbiguityError", "AmountError", "Convention", "DescriptionError", "Error", "Finding", "MissingExtraError",
    "MoneyOverflowError", "NoPlanError", "ParseError", "Plan", "PlanFormatError", "Problem", "BadRow",
    "Report", "UnknownLabelError", "default", "format_amount", "load", "parse_amount",
    "read_plan", "read_scdl", "validate_scdl", "__version__",
    "EssconvWarning", "MixedEncodingWarning", "NothingMatchedWarning", "ConditionError",
    "FileChangedError",
    "InputClosedError", "OutputClosedError",
]
__all__ += ["Source"]


def release_memory() -> int:
    """Give back to the system the memory freed ledgers left for the next reads, now; returns
    its bytes.

    A ledger's columns are large blocks; when a ledger is freed, up to 1 GiB of them is kept,
    so that the next read (a notebook reads file after file) writes its columns without
    faulting in fresh pages -- a quarter of a read's CPU.  The kernel may take kept pages back
    whenever it needs them (they are advised free), so this is only for a process that wants
    its resident size down at once.

    Example: ``del ledger; essconv.release_memory()``
    """
    import essconv._core as _core
    return _core.release_memory()


__all__ += ["release_memory"]
__all__ += ["AmountTypeError", "DatabaseError"]

from .errors import RepairedRowsWarning   # over-long grant rows put back (read_scdl)
from .errors import HalfPeriodWarning   # one end of an older layout's period alone (read_scdl)
from .errors import ShortRowsWarning   # grant rows short of blank optional last columns (read_scdl)
__all__ += ["HalfPeriodWarning", "RepairedRowsWarning", "ShortRowsWarning"]
from .errors import UnknownLabelWarning   # a filter on a label its column never held
__all__ += ["UnknownLabelWarning"]
from .errors import NoLineColumnWarning   # no column places the payments on the plan's lines
__all__ += ["NoLineColumnWarning"]

from .errors import ShareError   # shares of groups adding up to zero (Aggregate.share)
__all__ += ["ShareError"]
from .errors import RelabelError   # one beneficiary, one name (ledger.relabel)
__all__ += ["RelabelError"]
from .errors import InvalidValueError, NotFoundError   # what the C core refuses, as essconv.Error
__all__ += ["InvalidValueError", "NotFoundError"]
from .errors import ArgumentTypeError, PositionError, UnknownColumnError   # refused arguments
__all__ += ["ArgumentTypeError", "PositionError", "UnknownColumnError"]
from .errors import ProducerError   # a data producer failing partway (an Arrow stream's)
__all__ += ["ProducerError"]
from .conditions import (contains, month, one_of, period_end, period_start, quarter, regex,
                         startswith, year)   # label conditions and date dimensions
__all__ += ["contains", "month", "one_of", "period_end", "period_start", "quarter", "regex",
            "startswith", "year"]
