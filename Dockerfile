# Build and publish with the SDK, run on the slim ASP.NET runtime as the image's non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig Bot.sln ./
COPY src/ src/
COPY questionbank/ questionbank/
COPY prompts/ prompts/
RUN dotnet publish src/Mockingbird.Host/Mockingbird.Host.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
ENV DOTNET_NOLOGO=1
# The bots (`bot discord`, `bot slack`) serve /healthz and, when configured, the platform's HTTP endpoint here.
EXPOSE 8080
ENTRYPOINT ["dotnet", "mockingbird.dll"]
CMD ["practice", "full"]
