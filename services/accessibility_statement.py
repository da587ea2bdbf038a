"""The accessibility statement's long texts in Finnish, Swedish and English (kept as data, not as hundreds of `t()`
keys). Structure of the model statement Finnish public bodies use (law 306/2019 §15, EN 301 549 / WCAG 2.1 AA).

Placeholders: {brand}, {url}, {prepared}, {updated}. Update PREPARED/UPDATED and KNOWN_ISSUES whenever the portal
is assessed again. The enforcement authority's details are in SUPERVISOR.

Note on SUPERVISOR: under government proposal HE 71/2024 the supervision moved from the Regional State Administrative
Agency for Southern Finland to Traficom on 1.1.2025; confirm the contact details before publishing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PREPARED = date(2026, 11, 30)
UPDATED = date(2026, 12, 2)
SUPERVISOR_EMAIL = 'saavutettavuus@traficom.fi'
SUPERVISOR_PHONE = '029 534 5000'
SUPERVISOR_PHONE_E164 = '+358295345000'


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()  # a bulleted list after the paragraphs


@dataclass(frozen=True)
class Supervisor:
    heading: str
    intro: str
    name: str
    unit: str
    website_label: str
    website_url: str
    email_label: str
    phone_label: str


STATEMENT: dict[str, tuple[Section, ...]] = {
    'fi': (
        Section('Tätä selostetta koskeva palvelu', (
            'Tämä saavutettavuusseloste koskee {brand} asiakaspalveluportaalia ({url}), jossa yksityishenkilöt ja '
            'asiakasorganisaatioiden edustajat tekevät palvelupyyntöjä, seuraavat niiden käsittelyä ja vastaavat '
            'palvelukeskuksen kysymyksiin.',
            'Palvelua koskee laki digitaalisten palvelujen tarjoamisesta (306/2019), jossa edellytetään, että '
            'julkisten verkkopalvelujen on oltava saavutettavia. Tavoitteena on WCAG 2.1 -ohjeiston AA-taso '
            '(standardi EN 301 549).')),
        Section('Digipalvelun saavutettavuuden tila', (
            'Täyttää saavutettavuusvaatimukset osittain. Alla on lueteltu tiedossamme olevat puutteet.',)),
        Section('Ei-saavutettava sisältö', (
            'Seuraavat sisällöt eivät ole vielä kaikilta osin saavutettavia:',), (
            'Palvelupyynnön PDF-kuittaus on merkitty (tagged) PDF-tiedosto, jossa on kieli, otsikot ja kappaleet '
            'lukujärjestyksessä, mutta kentän nimeä ja vastausta ei ole merkitty taulukoksi: kumpikin on samassa '
            'kappaleessa (WCAG 1.3.1). Käyttämämme PDF-kirjasto (fpdf2 2.8) ei kirjoita sisäkkäistä '
            'rakennepuuta. Samat tiedot ovat saavutettavassa muodossa Oma asiointi -sivulla.',
            'Käyttöliittymäkirjaston omat ilmoitukset, kuten yhteyden katkeamisesta kertova ilmoitus, näkyvät '
            'vain englanniksi eikä niiden kieltä ole merkitty (WCAG 3.1.2).',
            'Päivämäärän valintakalenteria ei ole testattu kaikilla ruudunlukijoilla. Päivämäärän voi aina '
            'kirjoittaa kenttään muodossa p.k.vvvv.',
            'Sähköposti-ilmoitusten HTML-versiota ei ole testattu kaikissa sähköpostiohjelmissa; jokaisessa '
            'viestissä on myös pelkkä tekstiversio.',
            'Asiakkaiden ja käsittelijöiden lataamat liitetiedostot ovat kolmannen osapuolen sisältöä, joka ei '
            'kuulu lain soveltamisalaan (306/2019, 3 §), emmekä voi taata niiden saavutettavuutta.')),
        Section('Näin tarkistimme saavutettavuuden', (
            'Seloste perustuu itsearviointiin. Palvelun kehittäjät ovat tarkistaneet otsikkorakenteen, kenttien '
            'nimet, virheilmoitukset ja näppäimistöllä käytön keskeisissä tehtävissä automaattisilla '
            'selaintesteillä. Ruudunlukijoilla palvelua ei ole vielä testattu järjestelmällisesti.',
            'Lisäksi jokainen julkaistava versio testataan automaattisesti axe-core-työkalulla WCAG 2.0- ja 2.1 '
            '-ohjeiden A- ja AA-tason säännöillä suomeksi, ruotsiksi ja englanniksi. Ulkopuolista '
            'saavutettavuusarviointia ei ole vielä tehty.')),
        Section('Selosteen laatiminen', (
            'Seloste on laadittu {prepared} ja sitä on päivitetty viimeksi {updated}.',)),
        Section('Anna palautetta saavutettavuudesta', (
            'Huomasitko saavutettavuuspuutteen? Kerro siitä meille alla olevalla lomakkeella tai palvelukeskuksen '
            'asiakaspalvelun kautta (YHTEYSTIEDOT). Voit myös pyytää tietoa, joka ei ole saavutettavassa '
            'muodossa. Vastaamme 14 päivän kuluessa, jos annat sähköpostiosoitteesi.',)),
    ),
    'sv': (
        Section('Tjänsten som utlåtandet gäller', (
            '{brand} kundtjänstportal ({url}) omfattas av detta tillgänglighetsutlåtande. I portalen lämnar '
            'privatpersoner och företrädare för kundorganisationer serviceförfrågningar, följer handläggningen och '
            'svarar på servicecentrets frågor.',
            'Tjänsten omfattas av lagen om tillhandahållande av digitala tjänster (306/2019), som kräver att '
            'offentliga webbtjänster ska vara tillgängliga. Målet är nivå AA i riktlinjerna WCAG 2.1 '
            '(standarden EN 301 549).')),
        Section('Den digitala tjänstens tillgänglighet', (
            'Uppfyller kraven delvis. Nedan listas de brister vi känner till.',)),
        Section('Innehåll som inte är tillgängligt', (
            'Följande innehåll är ännu inte tillgängligt i alla avseenden:',), (
            'Kvittot på en serviceförfrågan är en taggad PDF-fil med språk, rubriker och stycken i läsordning, '
            'men fältets namn och svaret är inte märkta som en tabell: båda står i samma stycke (WCAG 1.3.1). '
            'PDF-biblioteket vi använder (fpdf2 2.8) skriver inte ett kapslat strukturträd. Samma uppgifter finns '
            'i tillgänglig form på sidan Mina ärenden.',
            'Användargränssnittsbibliotekets egna meddelanden, såsom meddelandet om bruten förbindelse, visas '
            'endast på engelska och deras språk är inte märkt (WCAG 3.1.2).',
            'Datumväljaren har inte testats med alla skärmläsare. Du kan alltid skriva datumet i fältet i formen '
            'd.m.åååå.',
            'HTML-versionen av e-postmeddelandena har inte testats i alla e-postprogram; varje meddelande har '
            'också en ren textversion.',
            'Bilagor som kunder och handläggare laddar upp är innehåll från tredje part som inte omfattas av '
            'lagen (306/2019, 3 §), och vi kan inte garantera att de är tillgängliga.')),
        Section('Så här kontrollerade vi tillgängligheten', (
            'Utlåtandet grundar sig på en egen bedömning. Tjänstens utvecklare har kontrollerat rubrikstrukturen, '
            'fältnamnen, felmeddelandena och användningen med tangentbord i de centrala uppgifterna med '
            'automatiska webbläsartester. Tjänsten har ännu inte testats systematiskt med skärmläsare.',
            'Dessutom testas varje version automatiskt med verktyget axe-core enligt reglerna på nivå A och AA i '
            'WCAG 2.0 och 2.1 på finska, svenska och engelska. Någon extern tillgänglighetsbedömning har ännu inte '
            'gjorts.')),
        Section('Utarbetande av utlåtandet', (
            'Utlåtandet har utarbetats {prepared} och uppdaterades senast {updated}.',)),
        Section('Ge respons om tillgängligheten', (
            'Har du upptäckt en brist i tillgängligheten? Berätta det för oss med formuläret nedan eller via '
            'servicecentrets kundtjänst (KONTAKTUPPGIFTER). Du kan också begära information som inte finns i '
            'tillgänglig form. Vi svarar inom 14 dagar om du uppger din e-postadress.',)),
    ),
    'en': (
        Section('The service this statement covers', (
            'This accessibility statement applies to the {brand} customer service portal ({url}), where private '
            'individuals and representatives of customer organisations submit service requests, follow their '
            'handling and answer the service centre\'s questions.',
            'The service is subject to the Act on the Provision of Digital Services (306/2019), which requires '
            'public online services to be accessible. The target is level AA of the WCAG 2.1 guidelines '
            '(standard EN 301 549).')),
        Section('Compliance status', (
            'Partially compliant. The shortcomings we know of are listed below.',)),
        Section('Non-accessible content', (
            'The following content is not yet accessible in every respect:',), (
            'The PDF receipt of a service request is a tagged PDF with its language, headings and paragraphs in '
            'reading order, but a field\'s name and its answer are not tagged as a table: both are in one '
            'paragraph (WCAG 1.3.1). The PDF library we use (fpdf2 2.8) does not write a nested structure tree. '
            'The same information is available in an accessible form on the My transactions page.',
            'Messages of the user interface library itself, such as the notice of a lost connection, appear in '
            'English only and their language is not marked (WCAG 3.1.2).',
            'The date picker calendar has not been tested with every screen reader. You can always type the date '
            'into the field as d.m.yyyy.',
            'The HTML version of email notifications has not been tested in every email program; every message '
            'also has a plain text version.',
            'Attachments uploaded by customers and handlers are third-party content outside the scope of the Act '
            '(306/2019, section 3), and we cannot guarantee that they are accessible.')),
        Section('How we tested accessibility', (
            'This statement is based on a self-assessment. The developers of the service have checked the heading '
            'structure, field names, error messages and keyboard use of the main tasks with automated browser '
            'tests. The service has not yet been tested systematically with screen readers.',
            'In addition, every release is tested automatically with the axe-core tool against the level A and AA '
            'rules of WCAG 2.0 and 2.1 in Finnish, Swedish and English. No external accessibility audit has been '
            'made yet.')),
        Section('Preparation of this statement', (
            'This statement was prepared on {prepared} and last updated on {updated}.',)),
        Section('Feedback on accessibility', (
            'Did you notice an accessibility problem? Tell us with the form below or through the service centre\'s '
            'customer service (CONTACT). You can also ask for information that is not available in an accessible '
            'form. We will answer within 14 days if you give your email address.',)),
    ),
}

SUPERVISOR: dict[str, Supervisor] = {
    'fi': Supervisor(
        heading='Valvontaviranomainen',
        intro='Jos huomaat sivustolla saavutettavuusongelmia, anna ensin palautetta meille. Jos et ole tyytyväinen '
              'saamaasi vastaukseen tai et saa vastausta lainkaan kahden viikon aikana, voit tehdä ilmoituksen '
              'valvontaviranomaiselle. Sivulla kerrotaan, miten ilmoituksen voi tehdä ja miten asia käsitellään.',
        name='Liikenne- ja viestintävirasto Traficom', unit='Saavutettavuuden valvonta',
        website_label='saavutettavuusvaatimukset.fi', website_url='https://www.saavutettavuusvaatimukset.fi',
        email_label='Sähköposti', phone_label='Puhelinvaihde'),
    'sv': Supervisor(
        heading='Tillsynsmyndighet',
        intro='Om du upptäcker problem med tillgängligheten, ge först respons till oss. Om du inte är nöjd med '
              'svaret eller inte får något svar inom två veckor, kan du göra en anmälan till tillsynsmyndigheten. '
              'På webbplatsen finns information om hur du gör en anmälan och hur ärendet behandlas.',
        name='Transport- och kommunikationsverket Traficom', unit='Tillgänglighetstillsynen',
        website_label='tillganglighetskrav.fi', website_url='https://www.tillganglighetskrav.fi',
        email_label='E-post', phone_label='Telefonväxel'),
    'en': Supervisor(
        heading='Enforcement authority',
        intro='If you notice accessibility problems, please give feedback to us first. If you are not satisfied '
              'with our answer, or you get no answer within two weeks, you can report the matter to the '
              'enforcement authority. Its website explains how to make a report and how it is handled.',
        name='Finnish Transport and Communications Agency Traficom', unit='Accessibility supervision',
        website_label='webaccessibility.fi', website_url='https://www.webaccessibility.fi',
        email_label='Email', phone_label='Switchboard'),
}
