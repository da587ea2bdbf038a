"""Tilinumeron ilmoittaminen liikasuorituksen palauttamista varten: the seed's two-step refund form."""
from locales import N_
from models import ServiceAudience

from .contact_step import CONTACT_STEP
from .definition import Condition, FieldDefinition, FormDefinition, StepDefinition

REFUND_FORM = FormDefinition(
    code='tilinumero-liikasuoritus',
    title=N_('Tilinumeron ilmoittaminen liikasuorituksen palauttamista varten'),
    description=N_('Ilmoita tilinumero, jolle laskun liikaa maksettu summa palautetaan.'),
    audience=ServiceAudience.BOTH,
    position=1,
    instructions=(
        N_('Täytä lomakkeelle vähintään tähtimerkillä (*) merkityt kohdat.'),
        N_('Lomakkeelle voi liittää yhden tai useamman liitetiedoston.'),
        N_('Kun olet täyttänyt lomakkeen, paina Jatka-painiketta, jonka jälkeen pääset vielä esikatselemaan '
           'lomaketta.'),
        N_('Esikatselu-näkymässä paina vielä Lähetä-painiketta, jolloin lomake lähtee käsiteltäväksi.'),
    ),
    steps=(
        CONTACT_STEP,
        StepDefinition(
            key='palautuksen_saaja',
            title=N_('Palautuksen saaja'),
            fields=(
                FieldDefinition('refund_target', N_('Valitse'), 'choice', required=True, wide=True, options=(
                    ('payer', N_('Palautetaan maksajan tilille')),
                    ('other', N_('Palautetaan muulle kuin maksajan tilille')),
                ), required_message=N_('Valitse, kenen tilille palautus maksetaan.'),
                   answer_label=N_('Palautuksen saajan tili')),
                FieldDefinition('recipient_first_name', N_('Saajan etunimi'), required=True, prefill='given_name',
                                max_length=100),
                FieldDefinition('recipient_last_name', N_('Saajan sukunimi'), required=True, prefill='surname',
                                max_length=100),
                FieldDefinition('iban', N_('Tilinumero'), 'iban', required=True, max_length=42),
                FieldDefinition('billing_organisation', N_('Laskuttava organisaatio'), 'organisation',
                                prefill='target_organisation'),
                FieldDefinition('customer_number', N_('Asiakasnumero'), required=True, max_length=30),
                FieldDefinition('invoice_number', N_('Laskun numero'), max_length=30),
                FieldDefinition('reference_number', N_('Laskun viitenumero'), 'reference', max_length=35),
                FieldDefinition('overpayment_date', N_('Liikasuorituksen ajankohta'), 'date', max_length=10),
                FieldDefinition('refund_amount', N_('Palautuksen määrä'), 'amount', required=True,
                                max_length=20),
                FieldDefinition('other_recipient_reason', N_('Miksi palautus maksetaan muulle kuin maksajalle'),
                                'textarea', required=True, wide=True, max_length=1000,
                                condition=Condition('refund_target', ('other',))),
                FieldDefinition('additional_info', N_('Lisätietoja'), 'textarea', wide=True, max_length=4000,
                                help=N_('Tähän voit kuvata muita tarkentavia tietoja, kuten mitä lasku koskee, '
                                        'jos laskun numeroa ei ole saatavilla.')),
                FieldDefinition('attachments', N_('Liitteet'), 'attachments', wide=True),
            ),
        ),
    ),
)
