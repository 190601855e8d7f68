# Build with the SDK, run on the smaller ASP.NET runtime image as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props ./
COPY WsGame.Api/WsGame.Api.csproj WsGame.Api/
RUN dotnet restore WsGame.Api/WsGame.Api.csproj
COPY WsGame.Api/ WsGame.Api/
RUN dotnet publish WsGame.Api/WsGame.Api.csproj --configuration Release --no-restore --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl only for the health check below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production
# HTTP, then Orleans' silo port (node to node) and gateway port (WsGame:Cluster:SiloPort and GatewayPort).
EXPOSE 8080 11111 30000
# SQLite's records (WsGame:Storage:DataDirectory, relative to /app): a volume the app user can write.
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
VOLUME /app/data
# The image defines the unprivileged user "app" and its id in APP_UID.
USER $APP_UID
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD curl --fail --silent --show-error http://localhost:8080/health || exit 1
ENTRYPOINT ["dotnet", "WsGame.Api.dll"]
