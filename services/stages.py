"""The processing stages (käsittelyvaiheet) a handler moves a request through.

The names follow the actions of JHS 191 (asianhallinnan tehtäväluokitus): a request starts in
*Vireillepano/-tulo* when it is sent and then goes through preparation, decision, execution, notification,
appeal and follow-up. The list is data: an installation may shorten or extend it here; stored requests keep the
Finnish name, which is translated where shown.
"""
from __future__ import annotations

from locales import N_
from models import FIRST_STAGE

STAGES: tuple[str, ...] = (
    N_('Vireillepano/-tulo'),
    N_('Valmistelu'),
    N_('Päätöksenteko'),
    N_('Toimeenpano'),
    N_('Tiedoksianto'),
    N_('Muutoksenhaku'),
    N_('Seuranta'),
)

FINAL_STAGE = STAGES[-1]  # where resolving a request moves it

assert STAGES[0] == FIRST_STAGE, 'a sent request starts in the first stage'


def is_stage(name: str) -> bool:
    return name in STAGES
