"""Static files: hashed and compressed once collected, the plain names before."""

from django.contrib.staticfiles.storage import StaticFilesStorage as PlainStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage, which also works before `collectstatic` has run.

    In production (`collectstatic`) every URL carries the file's hash, so browsers may keep the files a
    year, and WhiteNoise serves the gzip and brotli copies made at collection. Without a manifest (tests,
    the benchmark, a checkout where nobody collected) the plain names are used and WhiteNoise finds the
    files in the apps and node_modules (WHITENOISE_USE_FINDERS), instead of every page failing.
    """

    def url(self, name: str, force: bool = False) -> str:
        if not self.hashed_files:
            return PlainStorage.url(self, name)
        return super().url(name, force)
