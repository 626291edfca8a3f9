/** The version openmor reports (system_version_get, /health, the catalogue). */
export const OPENMOR_VERSION = '0.1.0';
/** The MOR API generation whose XML contract openmor serves. */
export const MOR_COMPAT = 'MOR X16 API compatible';
export const VERSION_TEXT = `openmor ${OPENMOR_VERSION} (${MOR_COMPAT})`;
