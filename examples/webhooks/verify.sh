#!/bin/sh
# Verifies an openmor webhook delivery: verify.sh SECRET ID TIMESTAMP SIGNATURES < raw-body
# (SECRET: whsec_…; ID, TIMESTAMP, SIGNATURES: the webhook-id, webhook-timestamp and webhook-signature
# headers). Exit 0 when one v1 signature matches and the timestamp is within five minutes.
set -eu
key=$(printf %s "${1#whsec_}" | base64 -d | od -An -vtx1 | tr -d ' \n')
now=$(date +%s); [ $((now - $3)) -le 300 ] && [ $(($3 - now)) -le 300 ] || exit 1
mac=$( { printf '%s.%s.' "$2" "$3"; cat; } | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64)
for s in $4; do [ "$s" = "v1,$mac" ] && exit 0; done
exit 1
