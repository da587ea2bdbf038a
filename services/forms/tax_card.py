"""Verokortin toimittaminen: delivering a tax card to the payroll office."""
from models import ServiceAudience

from .contact_step import CONTACT_STEP
from .definition import FieldDefinition, FieldKind, FormDefinition, StepDefinition

TAX_CARD_FORM = FormDefinition(
    code='verokortti',
    title='Verokortin toimittaminen',
    description='Toimita verokorttisi palkanlaskentaan, jotta palkastasi pidätetään oikea määrä veroa.',
    audience=ServiceAudience.PRIVATE,
    position=2,
    instructions=(
        'Täytä lomakkeelle vähintään tähtimerkillä (*) merkityt kohdat.',
        'Liitä verokortti (palkkaa varten) PDF-tiedostona tai kuvana. Sen saat OmaVerosta.',
        'Esikatselu-näkymässä paina vielä Lähetä-painiketta, jolloin lomake lähtee käsiteltäväksi.',
    ),
    steps=(
        CONTACT_STEP,
        StepDefinition(
            key='verokortti',
            title='Verokortti',
            intro='Palkanlaskenta tarvitsee verokortin, jotta palkasta pidätetään oikea määrä veroa. '
                  'Ilman verokorttia ennakonpidätys on 60 %.',
            fields=(
                FieldDefinition('employer', 'Työnantaja', FieldKind.ORGANISATION, required=True,
                                prefill='target_organisation'),
                FieldDefinition('employee_number', 'Henkilönumero', max_length=30,
                                help='Löytyy palkkalaskelmasta, jos tiedät sen.'),
                FieldDefinition('tax_year', 'Verovuosi', FieldKind.YEAR, required=True, max_length=4),
                # The payroll office files each kind differently: a revised card replaces the earlier one from its
                # start date, a tax-at-source card means no progressive withholding at all.
                FieldDefinition('card_type', 'Verokortin laji', FieldKind.CHOICE, required=True, wide=True, options=(
                    ('wage', 'Verokortti palkkaa varten'),
                    ('revised', 'Muutosverokortti'),
                    ('source', 'Lähdeverokortti'),
                )),
                FieldDefinition('valid_from', 'Verokortti voimassa alkaen', FieldKind.DATE, max_length=10,
                                future_allowed=True),
                FieldDefinition('tax_card', 'Verokortti (liite)', FieldKind.ATTACHMENTS, required=True, wide=True),
                FieldDefinition('additional_info', 'Lisätietoja', FieldKind.TEXTAREA, wide=True, max_length=4000),
            ),
        ),
    ),
)
