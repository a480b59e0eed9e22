"""Settings of the benchmark's own server (`make bench`): the product's settings with the
bench's URLconf, which adds the SQL floor. Nothing of this ships in the product."""

from tppo.settings import *  # noqa: F403

ROOT_URLCONF = "scripts.bench.urls"
