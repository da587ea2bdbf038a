"""The contact step (Yhteydenotto) that every citizen service begins with."""
from locales import N_

from .definition import Condition, FieldDefinition, StepDefinition

CONTACT_STEP = StepDefinition(
    key='yhteydenotto',
    title=N_('Yhteydenotto'),
    fields=(
        FieldDefinition('first_name', N_('Etunimi'), required=True, prefill='given_name', max_length=100),
        FieldDefinition('last_name', N_('Sukunimi'), required=True, prefill='surname', max_length=100),
        FieldDefinition('organisation', N_('Organisaatiohaku'), 'organisation', prefill='target_organisation',
                        help=N_('Syötä osa nimestä ja valitse organisaatio avautuvasta hakulistasta'),
                        answer_label=N_('Organisaatio')),
        FieldDefinition('unit', N_('Yksikkö'), max_length=200),
        FieldDefinition('email', N_('Sähköposti'), 'email', required=True, prefill='email', max_length=254),
        FieldDefinition('phone', N_('Puhelinnumero'), 'phone', prefill='phone', max_length=30),
        FieldDefinition('on_behalf', N_('Asioi toisen puolesta'), 'checkbox', wide=True),
        FieldDefinition('represented_name', N_('Kenen puolesta asioit (nimi)'), required=True,
                        condition=Condition('on_behalf', (True,)), max_length=200),
        FieldDefinition('represented_relation', N_('Asiointiperuste (esim. huoltaja, edunvalvoja, valtakirja)'),
                        required=True, condition=Condition('on_behalf', (True,)), max_length=200),
    ),
)
