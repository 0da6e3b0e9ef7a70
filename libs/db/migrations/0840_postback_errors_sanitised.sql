-- Affiliates read postback_deliveries.last_error through the reporting API.
-- postback-dispatch used to store the socket error's own text ("connect
-- ECONNREFUSED 10.0.3.7:6379"), the address a name resolved to, and the start
-- of any answer's body, which told whoever controls a postback URL about our
-- network. It now stores only its classification and a sanitised excerpt
-- (libs/dispatch/src/delivery/failure-classes.ts); rows written before are
-- brought to the same classes here. Historic answers keep their status only.
CREATE FUNCTION pg_temp.postback_error_class(error text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN error IS NULL THEN NULL
    WHEN error ~ '^target refused: \S+ resolves to '
      THEN regexp_replace(error, '^target refused: (\S+) resolves to .*$', 'target refused: \1 resolves to an address that is not public')
    WHEN error ~ '^target refused: ' THEN error
    WHEN error ~ '^timed out after \d+ ms$' THEN regexp_replace(error, '^timed out after', 'timeout after')
    WHEN error ~ '^HTTP 3\d\d\M' THEN regexp_replace(error, '^(HTTP \d+).*$', '\1: redirects are not followed')
    WHEN error ~ '^HTTP \d+\M' THEN regexp_replace(error, '^(HTTP \d+).*$', '\1')
    WHEN error ~ '^response cut short' THEN 'connection closed mid-response'
    WHEN error ~ '^ECONNREFUSED\M' THEN 'connection refused'
    WHEN error ~ '^(ECONNRESET|EPIPE|ECONNABORTED|ERR_STREAM_PREMATURE_CLOSE)\M' THEN 'connection reset'
    WHEN error ~ '^(ETIMEDOUT|ESOCKETTIMEDOUT)\M' THEN 'timeout'
    WHEN error ~ '^(ENOTFOUND|EAI_NONAME|EAI_NODATA|ENODATA|EAI_FAIL)\M' THEN 'dns: host not found'
    WHEN error ~ '^(EAI_AGAIN|ESERVFAIL|ETIMEOUT|EREFUSED)\M' THEN 'dns: lookup failed'
    WHEN error ~ '^(EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN|EADDRNOTAVAIL)\M' THEN 'host unreachable'
    WHEN error ~ '^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO)' THEN 'tls: handshake failed'
    WHEN error ~ '^HPE_' THEN 'invalid HTTP response'
    WHEN error IN ('attempts exhausted', 'connection refused', 'connection reset', 'timeout', 'dns: host not found',
                   'dns: lookup failed', 'host unreachable', 'tls: handshake failed', 'invalid HTTP response',
                   'connection closed mid-response', 'network error') THEN error
    ELSE 'network error'
  END
$$;

UPDATE postback_deliveries SET last_error = pg_temp.postback_error_class(last_error)
 WHERE last_error IS DISTINCT FROM pg_temp.postback_error_class(last_error);

UPDATE postback_affiliate_health SET last_error = pg_temp.postback_error_class(last_error)
 WHERE last_error IS DISTINCT FROM pg_temp.postback_error_class(last_error);
