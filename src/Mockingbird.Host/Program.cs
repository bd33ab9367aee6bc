using Mockingbird.Host.Cli;

return await MockingbirdCli.RunAsync(args, CliStreams.FromConsole());
