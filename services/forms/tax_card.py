"""Verokortin toimittaminen: delivering a tax card to the payroll office."""
from locales import N_
from models import ServiceAudience

from .contact_step import CONTACT_STEP
from .definition import FieldDefinition, FormDefinition, StepDefinition

TAX_CARD_FORM = FormDefinition(
    code='verokortti',
    title=N_('Verokortin toimittaminen'),
    description=N_('Toimita verokorttisi palkanlaskentaan, jotta palkastasi pidätetään oikea määrä veroa.'),
    audience=ServiceAudience.PRIVATE,
    position=2,
    instructions=(
        N_('Täytä lomakkeelle vähintään tähtimerkillä (*) merkityt kohdat.'),
        N_('Liitä verokortti (palkkaa varten) PDF-tiedostona tai kuvana. Sen saat OmaVerosta.'),
        N_('Esikatselu-näkymässä paina vielä Lähetä-painiketta, jolloin lomake lähtee käsiteltäväksi.'),
    ),
    steps=(
        CONTACT_STEP,
        StepDefinition(
            key='verokortti',
            title=N_('Verokortti'),
            intro=N_('Palkanlaskenta tarvitsee verokortin, jotta palkasta pidätetään oikea määrä veroa. '
                  'Ilman verokorttia ennakonpidätys on 60 %.'),
            fields=(
                FieldDefinition('employer', N_('Työnantaja'), 'organisation', required=True,
                                prefill='target_organisation'),
                FieldDefinition('employee_number', N_('Henkilönumero'), max_length=30,
                                help=N_('Löytyy palkkalaskelmasta, jos tiedät sen.')),
                FieldDefinition('tax_year', N_('Verovuosi'), 'year', required=True, max_length=4),
                # The payroll office files each kind differently: a revised card replaces the earlier one from its
                # start date, a tax-at-source card means no progressive withholding at all.
                FieldDefinition('card_type', N_('Verokortin laji'), 'choice', required=True, wide=True,
                                options=(
                    ('wage', N_('Verokortti palkkaa varten')),
                    ('revised', N_('Muutosverokortti')),
                    ('source', N_('Lähdeverokortti')),
                )),
                FieldDefinition('valid_from', N_('Verokortti voimassa alkaen'), 'date', max_length=10,
                                future_allowed=True),
                FieldDefinition('tax_card', N_('Verokortti (liite)'), 'attachments', required=True, wide=True),
                FieldDefinition('additional_info', N_('Lisätietoja'), 'textarea', wide=True, max_length=4000),
            ),
        ),
    ),
)
