# The local Express Connect endpoint, cmd/expressconnect-local, as a small image for a CI
# service container or a local sandbox:
#
#   docker build -t expressconnect-local .
#   docker run --rm -p 8080:8080 expressconnect-local -access-key LTAI5tLocal:local-secret
#
# Every flag can also be given as an environment variable (EXPRESSCONNECT_LOCAL_ and the flag's
# name in upper case with "_" for "-", such as EXPRESSCONNECT_LOCAL_AUTO_ACCEPT), which is how
# a CI service container, which takes no arguments, is configured. The image listens on
# 0.0.0.0:8080 inside the container, beyond loopback, so its admin API (/_sandbox/) requires
# the admin token on every request, as "Authorization: Bearer <token>": set it with
# EXPRESSCONNECT_LOCAL_ADMIN_TOKEN (16 to 256 letters, digits and -._~+/=), or read the random
# one the banner prints at each start (docker logs). The admin API also answers only a Host
# header of localhost, a loopback address or one of EXPRESSCONNECT_LOCAL_ADMIN_ALLOWED_HOSTS
# (such as the service's name on a CI network):
#
#   docker run --rm -p 8080:8080 -e EXPRESSCONNECT_LOCAL_ADMIN_TOKEN=local-admin-token-0001 expressconnect-local
#   curl -s -H 'Authorization: Bearer local-admin-token-0001' localhost:8080/_sandbox/connections

# Build: a static binary (no cgo), without the paths of the machine that built it. The
# interop tests build it with the same command and check that it is statically linked.
ARG GO_VERSION=1.26
FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/expressconnect-local ./cmd/expressconnect-local

# Run: distroless static has no shell and no libc, only CA certificates, time zones and a
# non-root user (nonroot, UID 65532).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/expressconnect-local /expressconnect-local
ENV EXPRESSCONNECT_LOCAL_ADDR=0.0.0.0:8080
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/expressconnect-local"]
