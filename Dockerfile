# orgraph in a container: a static binary (the seed is embedded in it) on a
# distroless base, run as a non-root user.
#
#   docker build -t orgraph .
#   docker run --rm -p 8080:8080 orgraph          # the embedded store
#   docker compose up                             # with Neo4j: compose.yaml
#
# cmd/orgraph/docker_test.go builds the binary with the go build line below,
# as it stands, and runs it.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The version `orgraph version` prints: docker build --build-arg VERSION=v1.2.0 .
ARG VERSION=""
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags="-s -w -X main.version=${VERSION}" -o /out/orgraph ./cmd/orgraph
# The embedded store's data directory, owned by the user the server runs as.
RUN mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/orgraph /usr/local/bin/orgraph
COPY --from=build --chown=nonroot:nonroot /out/data /data
USER nonroot:nonroot
ENV ADDR=:8080 ORGRAPH_DATA=/data
EXPOSE 8080
VOLUME /data
ENTRYPOINT ["/usr/local/bin/orgraph"]
CMD ["serve"]
