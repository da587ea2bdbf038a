"""Tilinumeron ilmoittaminen liikasuorituksen palauttamista varten: the seed's two-step refund form."""
from locales import N_
from models import ServiceAudience

from .contact_step import CONTACT_STEP
from .definition import Condition, FieldDefinition, FieldKind, FormDefinition, StepDefinition

REFUND_FORM = FormDefinition(
    code='tilinumero-liikasuoritus',
    title='Tilinumeron ilmoittaminen liikasuorituksen palauttamista varten',
    description='Ilmoita tilinumero, jolle laskun liikaa maksettu summa palautetaan.',
    audience=ServiceAudience.BOTH,
    position=1,
    instructions=(
        'Täytä lomakkeelle vähintään tähtimerkillä (*) merkityt kohdat.',
        'Lomakkeelle voi liittää yhden tai useamman liitetiedoston.',
        'Kun olet täyttänyt lomakkeen, paina Jatka-painiketta, jonka jälkeen pääset vielä esikatselemaan lomaketta.',
        'Esikatselu-näkymässä paina vielä Lähetä-painiketta, jolloin lomake lähtee käsiteltäväksi.',
    ),
    steps=(
        CONTACT_STEP,
        StepDefinition(
            key='palautuksen_saaja',
            title='Palautuksen saaja',
            fields=(
                FieldDefinition('refund_target', 'Valitse', FieldKind.CHOICE, required=True, wide=True, options=(
                    ('payer', 'Palautetaan maksajan tilille'),
                    ('other', 'Palautetaan muulle kuin maksajan tilille'),
                ), required_message=N_('Valitse, kenen tilille palautus maksetaan.'),
                   answer_label='Palautuksen saajan tili'),
                FieldDefinition('recipient_first_name', 'Saajan etunimi', required=True, prefill='given_name',
                                max_length=100),
                FieldDefinition('recipient_last_name', 'Saajan sukunimi', required=True, prefill='surname',
                                max_length=100),
                FieldDefinition('iban', 'Tilinumero', FieldKind.IBAN, required=True, max_length=42),
                FieldDefinition('billing_organisation', 'Laskuttava organisaatio', FieldKind.ORGANISATION,
                                prefill='target_organisation'),
                FieldDefinition('customer_number', 'Asiakasnumero', required=True, max_length=30),
                FieldDefinition('invoice_number', 'Laskun numero', max_length=30),
                FieldDefinition('reference_number', 'Laskun viitenumero', FieldKind.REFERENCE, max_length=35),
                FieldDefinition('overpayment_date', 'Liikasuorituksen ajankohta', FieldKind.DATE, max_length=10),
                FieldDefinition('refund_amount', 'Palautuksen määrä', FieldKind.AMOUNT, required=True, max_length=20),
                FieldDefinition('other_recipient_reason', 'Miksi palautus maksetaan muulle kuin maksajalle',
                                FieldKind.TEXTAREA, required=True, wide=True, max_length=1000,
                                condition=Condition('refund_target', ('other',))),
                FieldDefinition('additional_info', 'Lisätietoja', FieldKind.TEXTAREA, wide=True, max_length=4000,
                                help='Tähän voit kuvata muita tarkentavia tietoja, kuten mitä lasku koskee, jos laskun '
                                     'numeroa ei ole saatavilla.'),
                FieldDefinition('attachments', 'Liitteet', FieldKind.ATTACHMENTS, wide=True),
            ),
        ),
    ),
)
