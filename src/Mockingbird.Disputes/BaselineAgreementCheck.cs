using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mockingbird.Experiments;

namespace Mockingbird.Disputes;

/// <summary>
/// Declaring a baseline in experiments.yaml is how a version becomes one, so the gate runs as the bot starts: a
/// refused baseline stops start-up with the gate's message, a baseline with too few settled cases is let through with
/// a warning.
/// </summary>
public sealed partial class BaselineAgreementCheck(IExperimentCatalog catalog, IDisputeStore store, ILogger<BaselineAgreementCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var gated = catalog.Designs.Where(d => d.BaselineAgreement is not null).ToList();
        if (gated.Count == 0)
        {
            return;
        }

        var settled = await store.SettledAsync(cancellationToken);
        var refusals = new List<string>();
        foreach (var design in gated)
        {
            var verdict = BaselineGate.Check(design, design.Baseline, settled);
            if (!verdict.Allowed)
            {
                refusals.Add(verdict.Message!);
            }
            else if (verdict.Message is { } note)
            {
                Log.NotChecked(logger, note);
            }
        }

        if (refusals.Count > 0)
        {
            throw new BaselineRefusedException(string.Join(Environment.NewLine, refusals));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "{Note}")]
        public static partial void NotChecked(ILogger logger, string note);
    }
}
