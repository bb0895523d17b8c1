"""The national pages every public body's site must have, as drafts for the coordinator to review.

The texts say what is known (what the site itself collects) and mark plainly what the coordinator must fill
in (who is responsible, how long data are kept, the accessibility audit): nothing legal is made up here.
"""

from django.db import migrations

DRAFT_NOTE = (
    "> **Utkast til gjennomgang.** Teksten er et forslag laget sammen med nettstedet. Punktene merket "
    "«Fyll inn» må fylles ut av den nasjonale koordinatoren før siden publiseres."
)

ABOUT = f"""{DRAFT_NOTE}

## Hva er ALIS?

ALIS er leger i spesialisering i allmennmedisin i kommunene, uavhengig av om de er ansatt med fastlønn
eller er selvstendig næringsdrivende. Siden 2022 gjelder ordningen også spesialiseringen i samfunnsmedisin.

## ALIS-kontorene

Helsedirektoratet opprettet de regionale ALIS-kontorene med hver sin vertskommune: ALIS-kontor Nord, Midt,
Vest, Sør og Øst. Oslo kommune har egen ALIS-kontakt, knyttet til ALIS-kontor Øst.

Kontorene bistår kommunene med rekruttering og tilrettelegging av spesialiseringen: registrering som
utdanningsvirksomhet, utdanningsplaner, avtaler mellom kommunen og helseforetaket, veiledning og kurs for
veiledere. Kontorene samarbeider nasjonalt, slik at utdanningen blir like god i alle regioner.

Fyll inn: kontaktpunkt for den nasjonale koordineringen.
"""

PRIVACY = f"""{DRAFT_NOTE}

## Behandlingsansvarlig

Fyll inn: hvem som er behandlingsansvarlig for nettstedet og kurspåmeldingen (vertskommunen for hvert
ALIS-kontor, eller en annen), med kontaktinformasjon og personvernombud.

## Hva vi samler inn på nettstedet

- **Påmelding til kurs:** navn, e-post, mobiltelefon, arbeidskommune, om du er spesialist i allmennmedisin,
  hvem du er veileder for, og eventuelt HPR-nummer. Opplysningene brukes til å administrere kurset,
  sende bekreftelse og avmeldingslenke, og til kontorets statistikk over veilederkurs.
- **Språkvalg:** en informasjonskapsel (`django_language`) husker språket du velger. Den inneholder bare
  språkkoden.
- **Innlogging:** bare ansatte ved ALIS-kontorene logger inn. Da brukes en informasjonskapsel for økten og
  én mot forfalskede skjemaer.
- Nettstedet bruker ingen analyseverktøy og ingen informasjonskapsler fra andre.

Fyll inn: rettslig grunnlag for behandlingen, hvor lenge påmeldinger og logger lagres, og hvem som
eventuelt er databehandler (drift).

## Dine rettigheter

Du kan be om innsyn i, retting av og sletting av opplysninger om deg. Du kan klage til Datatilsynet.

Fyll inn: hvordan du ber om innsyn (e-postadresse).
"""

ACCESSIBILITY = f"""{DRAFT_NOTE}

Nettstedet er laget for å oppfylle WCAG 2.1 på nivå AA: det bruker Digdirs Designsystemet, kan brukes med
tastatur og skjermleser, fungerer uten JavaScript og på små skjermer, og sidene testes automatisk med
axe-core.

Fyll inn: erklæringen slik den er laget i Digdirs løsning for tilgjengelighetserklæringer (uustatus.no),
med lenke, dato for siste gjennomgang og eventuelle kjente avvik.

## Gi tilbakemelding

Fyll inn: hvor brukerne melder fra om feil og mangler ved tilgjengeligheten.
"""

PAGES = [
    ("about", "om-alis", "Om ALIS og ALIS-kontorene",
     "ALIS-kontorene hjelper kommunene med spesialiseringen i allmennmedisin.", ABOUT),
    ("privacy", "personvernerklaering", "Personvernerklæring", "Hvordan nettstedet behandler personopplysninger.",
     PRIVACY),
    ("accessibility", "tilgjengelighetserklaering", "Tilgjengelighetserklæring",
     "Hvordan nettstedet oppfyller kravene til universell utforming.", ACCESSIBILITY),
]


def add_pages(apps, schema_editor) -> None:
    Article = apps.get_model("website", "Article")
    for role, slug, title, summary, body in PAGES:
        if not Article.objects.filter(role=role).exists():
            Article.objects.create(
                kind="page", role=role, slug=slug, title=title, summary=summary, body=body, status="draft", office=None
            )


class Migration(migrations.Migration):
    dependencies = [("website", "0001_initial")]

    operations = [migrations.RunPython(add_pages, migrations.RunPython.noop)]
