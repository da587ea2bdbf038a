"""The contact step (Yhteydenotto) that every citizen service begins with."""
from .definition import Condition, FieldDefinition, FieldKind, StepDefinition

CONTACT_STEP = StepDefinition(
    key='yhteydenotto',
    title='Yhteydenotto',
    fields=(
        FieldDefinition('first_name', 'Etunimi', required=True, prefill='given_name', max_length=100),
        FieldDefinition('last_name', 'Sukunimi', required=True, prefill='surname', max_length=100),
        FieldDefinition('organisation', 'Organisaatiohaku', FieldKind.ORGANISATION, prefill='target_organisation',
                        help='Syötä osa nimestä ja valitse organisaatio avautuvasta hakulistasta',
                        answer_label='Organisaatio'),
        FieldDefinition('unit', 'Yksikkö', max_length=200),
        FieldDefinition('email', 'Sähköposti', FieldKind.EMAIL, required=True, prefill='email', max_length=254),
        FieldDefinition('phone', 'Puhelinnumero', FieldKind.PHONE, prefill='phone', max_length=30),
        FieldDefinition('on_behalf', 'Asioi toisen puolesta', FieldKind.CHECKBOX, wide=True),
        FieldDefinition('represented_name', 'Kenen puolesta asioit (nimi)', required=True,
                        condition=Condition('on_behalf', (True,)), max_length=200),
        FieldDefinition('represented_relation', 'Asiointiperuste (esim. huoltaja, edunvalvoja, valtakirja)',
                        required=True, condition=Condition('on_behalf', (True,)), max_length=200),
    ),
)
