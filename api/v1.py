"""The JSON API, version 1, under /api/v1/: one NinjaAPI with its OpenAPI 3.1 document and docs page."""

from ninja import NinjaAPI, Swagger

from api import problems
from api.endpoints import aggregates, grants, public, registry, supervision, training
from api.security import TokenAuth, TokenThrottle

DESCRIPTION = """
Les og skriv ALIS-oversiktens data fra egne systemer.

**Nøkler.** Lag en personlig API-nøkkel i appen på `/api/nokler/` (gyldig høyst ett år) og send den som
`Authorization: Bearer alis_…`. Nøkkelen handler som deg: samme rolle og samme region. En post i en annen region
svarer 404, en endring du ikke har lov til 403; Helsedirektoratets leserolle får bare aggregerte tall.
Kurs og samlinger er offentlige og trenger ingen nøkkel.

**Lister** har sidene `page` og `page_size` (høyst 100), sortering `sort` med kolonnene fra nettsidene (`-` for
synkende) og de samme filtrene som nettsidene.

**Endringer** går gjennom de samme skjemaene som nettsidene (samme kontroller og feilmeldinger) og lagres i
historikken med deg som bruker. `PATCH` endrer bare feltene du sender og krever `If-Match` med ETag-en fra
siste `GET`: uten den svarer API-et 428, og har noen lagret i mellomtiden, 412.

**Feil** kommer som `application/problem+json` (RFC 9457) med `errors` per felt (og per rad i masseregistrering).
For mange forespørsler gir 429 med `Retry-After`.

**Små tall.** Tall på personer under 5 skjules i aggregatene for roller uten tilgang til personopplysninger
(`value` er null og `suppressed` true), og et tall til der en sum ellers ville avsløre det.
"""


class AlisApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return problems.as_problem_json(super().get_openapi_schema(**kwargs))


api = AlisApi(
    title="ALIS-oversikt API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs/",
    # The bundled Swagger UI, served from our own static files (no CDN); no call-out to the online validator.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    auth=TokenAuth(),
    throttle=TokenThrottle(),
)
problems.install(api)
for module in (registry, training, supervision, grants, aggregates, public):
    api.add_router("", module.router)
