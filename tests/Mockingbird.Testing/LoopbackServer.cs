using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mockingbird.Testing;

/// <summary>The Kestrel host behind every fake server (OpenAI, Discord, Slack): a free port on 127.0.0.1, no logging.</summary>
public static class LoopbackServer
{
    /// <summary>A built, not yet started app listening on a free loopback port; the fake maps its routes on it.</summary>
    public static WebApplication Build()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder.Build();
    }

    /// <summary>Where a started app listens, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public static string AddressOf(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }
}
