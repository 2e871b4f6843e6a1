#!/usr/bin/env bash
# Runs authd's benchmarks in one go and prints the results as Markdown for
# docs/benchmarks.md:
#   1. raw Argon2id verifications/s at the default policy's cost (libargon2,
#      2 threads) before and after the login run;
#   2. full HTTPS logins/s (password + TOTP) against the real daemon on its
#      default policy (bench/login_load, 2 client threads);
#   3. GET /v1/session requests/s and latency over TLS keep-alive with wrk,
#      against nginx serving a static file of the same size with the same
#      certificate and TLS settings;
#   4. ECDSA P-256 signatures/s through SoftHSM (bench/hsm_sign_bench, 1 and 2
#      threads) against `openssl speed -seconds 3 ecdsap256` in the same run,
#      and AES-256-GCM seal+open of a 20-byte seed per second;
#   5. durable audit appends/s through core with checkpoint signing on
#      (bench/audit_append_bench) against raw SQLite inserts of the same rows
#      with the same durability (WAL, synchronous=FULL), alternating rounds;
#   6. WebAuthn assertion verifications/s in-process (tokens::webauthn, ES256,
#      signatures by libfido2) against OpenSSL's raw ECDSA P-256 verify of
#      the same size in the same process (bench/webauthn_verify_bench).
# Everything shares this machine's cores, so only ratios within one run mean
# much. Usage: bash bench/run.sh. Environment: BUILD_DIR (default build/),
# LOGIN_USERS, LOGIN_SECONDS, WRK_DURATION; BENCH_NO_BUILD=1 uses the binaries
# as they are.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
LOGIN_SECONDS=${LOGIN_SECONDS:-20}
LOGIN_USERS=${LOGIN_USERS:-1000}
WRK_DURATION=${WRK_DURATION:-10s}
WRK_THREADS=2
WRK_CONNECTIONS=64

log() { echo "run.sh: $*" >&2; }

if [[ -z "${BENCH_NO_BUILD:-}" ]]; then
  if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
    cmake -S "$ROOT" -B "$BUILD_DIR" -DAUTHD_BUILD_BENCH=ON >&2
  fi
  cmake --build "$BUILD_DIR" -j2 --target authd argon2_bench login_load hsm_sign_bench audit_append_bench \
    webauthn_verify_bench >&2
fi
BIN=$BUILD_DIR/bin
for tool in wrk nginx openssl curl; do
  command -v "$tool" >/dev/null || { log "needs $tool"; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/authd-bench.XXXXXX")
AUTHD_PID=
NGINX_PID=
cleanup() {
  [[ -n "$AUTHD_PID" ]] && kill "$AUTHD_PID" 2>/dev/null && wait "$AUTHD_PID" 2>/dev/null
  [[ -n "$NGINX_PID" ]] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- authd on its default policy ---------------------------------------------
"$BIN/authd" init --data-dir "$WORK/data" >"$WORK/admin.json" 2>"$WORK/init.log"
"$BIN/authd" serve --data-dir "$WORK/data" --listen 127.0.0.1:0 \
  >"$WORK/authd.out" 2>"$WORK/authd.log" &
AUTHD_PID=$!
for _ in $(seq 1 300); do
  grep -q '^listening on ' "$WORK/authd.out" 2>/dev/null && break
  sleep 0.1
done
AUTHD_ADDR=$(sed -n 's/^listening on //p' "$WORK/authd.out" | head -1)
[[ -n "$AUTHD_ADDR" ]] || { log "authd did not start"; cat "$WORK/authd.log" >&2; exit 1; }
AUTHD_PORT=${AUTHD_ADDR##*:}
CERT=$WORK/data/tls/cert.pem
KEY=$WORK/data/tls/key.pem
log "authd listening on 127.0.0.1:$AUTHD_PORT"

# items_per_second of the 2-thread Argon2id benchmark.
argon2_rate() {
  "$BIN/argon2_bench" --benchmark_filter='threads:2' --benchmark_format=csv 2>/dev/null |
    awk -F, '/^"BM_/ { print $7 }'
}

log "Argon2id (before)"
ARGON_BEFORE=$(argon2_rate)
log "logins: $LOGIN_USERS users, $LOGIN_SECONDS s"
"$BIN/login_load" --server "https://127.0.0.1:$AUTHD_PORT" --cacert "$CERT" \
  --data-dir "$WORK/data" --admin-json "$WORK/admin.json" --users "$LOGIN_USERS" \
  --threads 2 --seconds "$LOGIN_SECONDS" --session-out "$WORK/session.token" \
  --session-body-out "$WORK/session.json" | tee "$WORK/login.txt" >&2
log "Argon2id (after)"
ARGON_AFTER=$(argon2_rate)
value() { sed -n "s/^$1: //p" "$WORK/login.txt"; }
LOGINS=$(value logins_per_second)

# --- nginx with the same certificate and TLS settings -------------------------
mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"
cp "$WORK/session.json" "$WORK/nginx/www/session.json"
cp "$CERT" "$WORK/nginx/cert.pem"
cp "$KEY" "$WORK/nginx/key.pem"
# nginx's workers drop to an unprivileged user when started as root: let them
# reach the static file (the key stays readable by the master only).
chmod 711 "$WORK" "$WORK/nginx"
chmod 755 "$WORK/nginx/www"
chmod 644 "$WORK/nginx/www/session.json"
start_nginx() {
  local port=$1
  cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 75s;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $WORK/nginx/cert.pem;
    ssl_certificate_key $WORK/nginx/key.pem;
    # authd's settings (authd/tls_context.cc): TLS 1.2+ with AEAD suites only.
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
    ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    ssl_prefer_server_ciphers on;
    location = /v1/session {
      default_type application/json;
      add_header Strict-Transport-Security "max-age=31536000" always;
      add_header Cache-Control "no-store" always;
      add_header X-Content-Type-Options "nosniff" always;
      alias $WORK/nginx/www/session.json;
    }
  }
}
CONF
  nginx -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" \
    2>>"$WORK/nginx/start.log" &
  NGINX_PID=$!
  for _ in $(seq 1 50); do
    curl -sf --cacert "$CERT" "https://127.0.0.1:$port/v1/session" -o /dev/null && return 0
    kill -0 "$NGINX_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null || true
  NGINX_PID=
  return 1
}
NGINX_PORT=
for _ in $(seq 1 10); do
  port=$((20000 + RANDOM % 40000))
  ss -ltn | grep -q ":$port " && continue
  if start_nginx "$port"; then NGINX_PORT=$port; break; fi
done
[[ -n "$NGINX_PORT" ]] || { log "nginx did not start"; cat "$WORK/nginx/"*.log >&2; exit 1; }
log "nginx listening on 127.0.0.1:$NGINX_PORT"

tls_of() {
  openssl s_client -connect "127.0.0.1:$1" -CAfile "$CERT" </dev/null 2>/dev/null |
    awk '/^New, / { print $2 " " $5 }' | head -1
}
AUTHD_TLS=$(tls_of "$AUTHD_PORT")
NGINX_TLS=$(tls_of "$NGINX_PORT")

TOKEN=$(cat "$WORK/session.token")
run_wrk() {
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_DURATION" --latency \
    -H "Authorization: Bearer $TOKEN" "$1" >"$2" 2>&1 || true
  cat "$2" >&2
}
# Requests/sec and the 99th percentile in ms from wrk's report.
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
wrk_p99_ms() {
  awk '$1 == "99%" {
    v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
    if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000;
    print v }' "$1"
}
# Both servers must answer 200 with the token before the run counts.
[[ $(curl -s -o /dev/null -w '%{http_code}' --cacert "$CERT" -H "Authorization: Bearer $TOKEN" \
  "https://127.0.0.1:$AUTHD_PORT/v1/session") == 200 ]] || { log "session not valid"; exit 1; }

log "wrk: authd GET /v1/session"
run_wrk "https://127.0.0.1:$AUTHD_PORT/v1/session" "$WORK/wrk-authd.txt"
log "wrk: nginx static file"
run_wrk "https://127.0.0.1:$NGINX_PORT/v1/session" "$WORK/wrk-nginx.txt"
# A session still valid after the run: the load refreshed it, and nothing failed it.
AFTER=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CERT" -H "Authorization: Bearer $TOKEN" \
  "https://127.0.0.1:$AUTHD_PORT/v1/session")
NON2XX_AUTHD=$(awk '/Non-2xx/ { print $NF }' "$WORK/wrk-authd.txt")

AUTHD_RPS=$(wrk_rps "$WORK/wrk-authd.txt")
NGINX_RPS=$(wrk_rps "$WORK/wrk-nginx.txt")
AUTHD_P99=$(wrk_p99_ms "$WORK/wrk-authd.txt")
NGINX_P99=$(wrk_p99_ms "$WORK/wrk-nginx.txt")

# --- ECDSA P-256 through SoftHSM against OpenSSL directly ---------------------
log "hsm_sign_bench (SoftHSM)"
"$BIN/hsm_sign_bench" --seconds 3 | tee "$WORK/hsm.txt" >&2
log "openssl speed -seconds 3 ecdsap256"
OPENSSL_SIGN=$(openssl speed -seconds 3 ecdsap256 2>/dev/null |
  awk '/ecdsa \(nistp256\)/ { print $(NF-1) }')
hsm_value() { sed -n "s/^$1: //p" "$WORK/hsm.txt"; }
HSM_SIGN_1=$(hsm_value hsm_sign_per_second_1_thread)
HSM_SIGN_2=$(hsm_value hsm_sign_per_second_2_threads)
HSM_SEAL_OPEN=$(hsm_value hsm_seal_open_per_second_1_thread)

# --- durable audit appends with checkpoint signing against raw SQLite ---------
log "audit_append_bench"
"$BIN/audit_append_bench" --seconds 3 --rounds 3 | tee "$WORK/audit.txt" >&2
audit_value() { sed -n "s/^$1: //p" "$WORK/audit.txt"; }
AUDIT_APPENDS=$(audit_value audit_appends_per_second)
RAW_INSERTS=$(audit_value raw_inserts_per_second)

# --- WebAuthn assertion verification against raw ECDSA P-256 verify -----------
log "webauthn_verify_bench"
"$BIN/webauthn_verify_bench" --seconds 1.5 --rounds 7 | tee "$WORK/webauthn.txt" >&2
webauthn_value() { sed -n "s/^$1: //p" "$WORK/webauthn.txt"; }
RAW_VERIFY=$(webauthn_value openssl_ecdsa_p256_verify_per_s)
ASSERTIONS=$(webauthn_value webauthn_verify_assertion_per_s)
PARSED_ASSERTIONS=$(webauthn_value webauthn_parse_and_verify_per_s)
FIDO2_ALONE=$(webauthn_value libfido2_assert_verify_prebuilt_key_per_s)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }'; }
mean() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (a + b) / 2 }'; }
fmt() { awk -v a="$1" 'BEGIN { printf "%.1f", a }'; }
ARGON_MEAN=$(mean "$ARGON_BEFORE" "$ARGON_AFTER")

cat <<REPORT

## Results ($(date -u +%Y-%m-%d), $(nproc) CPUs: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo))

Argon2id cost: the default policy (m=19456 KiB, t=2, p=1). authd TLS: $AUTHD_TLS; nginx TLS: $NGINX_TLS.

| measurement | authd | baseline | ratio | target |
|---|---|---|---|---|
| logins/s, password + TOTP over HTTPS (2 client threads, keep-alive) vs raw Argon2id verifications/s (libargon2, 2 threads; before $(fmt "$ARGON_BEFORE"), after $(fmt "$ARGON_AFTER")) | $(fmt "$LOGINS") | $ARGON_MEAN | $(ratio "$LOGINS" "$ARGON_MEAN") | >= 90% |
| GET /v1/session requests/s (wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION, TLS keep-alive) vs nginx static file | $(fmt "$AUTHD_RPS") | $(fmt "$NGINX_RPS") | $(ratio "$AUTHD_RPS" "$NGINX_RPS") | >= 60% |
| GET /v1/session p99 latency (ms) at that load | $AUTHD_P99 | $NGINX_P99 | | |
| ECDSA P-256 signatures/s through SoftHSM (hsm::sign_es256, 200-byte message, 1 thread) vs \`openssl speed -seconds 3 ecdsap256\` sign/s (1 thread) | $(fmt "$HSM_SIGN_1") | $(fmt "$OPENSSL_SIGN") | $(ratio "$HSM_SIGN_1" "$OPENSSL_SIGN") | |
| the same through SoftHSM on 2 threads | $(fmt "$HSM_SIGN_2") | $(fmt "$OPENSSL_SIGN") | $(ratio "$HSM_SIGN_2" "$OPENSSL_SIGN") | |
| AES-256-GCM seal+open of a 20-byte seed per second through SoftHSM (1 thread) | $(fmt "$HSM_SEAL_OPEN") | | | |
| durable audit appends/s through core, one transaction each, checkpoints signed by SoftHSM at the default policy ($(audit_value audit_checkpoints) checkpoints) vs raw SQLite inserts of the same rows (WAL, synchronous=FULL) | $(fmt "$AUDIT_APPENDS") | $(fmt "$RAW_INSERTS") | $(ratio "$AUDIT_APPENDS" "$RAW_INSERTS") | >= 50% |

| WebAuthn assertion verifications/s in-process (tokens::webauthn::verify_assertion, ES256, 1 thread) vs OpenSSL raw ECDSA P-256 verify/s (pre-made key, 1 thread) | $(fmt "$ASSERTIONS") | $(fmt "$RAW_VERIFY") | $(ratio "$ASSERTIONS" "$RAW_VERIFY") | >= 80% |
| the same including parsing credential.toJSON() | $(fmt "$PARSED_ASSERTIONS") | $(fmt "$RAW_VERIFY") | $(ratio "$PARSED_ASSERTIONS" "$RAW_VERIFY") | |
| libfido2's fido_assert_verify alone, key object made once (the ceiling while libfido2 verifies) | $(fmt "$FIDO2_ALONE") | $(fmt "$RAW_VERIFY") | $(ratio "$FIDO2_ALONE" "$RAW_VERIFY") | |

Login run: $(value logins_ok) logins in $(fmt "$(value login_seconds)") s, $(value logins_failed) failed, $(value starved_waits) waits for a usable TOTP step; latency p50 $(fmt "$(value login_latency_p50_ms)") ms, p99 $(fmt "$(value login_latency_p99_ms)") ms; set-up of $(value setup_users) users took $(fmt "$(value setup_seconds)") s.
wrk against authd: non-2xx responses: ${NON2XX_AUTHD:-0}; the session still answered $AFTER afterwards.
REPORT
