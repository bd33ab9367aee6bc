# Build and publish with the SDK, run on the slim ASP.NET runtime as the image's non-root user.

# The project files alone, in their folders: the restore layer below then stays cached until a project file
# changes, not on every source edit. Found rather than listed, so adding or folding a project needs no change here.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
WORKDIR /src
COPY src/ src/
RUN find src -type f ! -name '*.csproj' -delete

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY --from=projects /src/src/ src/
RUN dotnet restore src/Mockingbird.Host/Mockingbird.Host.csproj
COPY src/ src/
COPY questionbank/ questionbank/
COPY prompts/ prompts/
COPY eval/ eval/
RUN dotnet publish src/Mockingbird.Host/Mockingbird.Host.csproj -c Release --no-restore -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# The progress charts are drawn with Skia, which finds fonts in /usr/share/fonts: without one they have no words.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
ENV DOTNET_NOLOGO=1
# The bots (`bot discord`, `bot slack`) serve /healthz/live, /healthz/ready and, when configured, the platform's
# HTTP endpoint here (ASPNETCORE_HTTP_PORTS=8080 in the base image).
EXPOSE 8080
ENTRYPOINT ["dotnet", "mockingbird.dll"]
CMD ["practice", "full"]
