using Kecleon.Runtime.Guards;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kecleon.Daemon;

/// <summary>Builds and runs the daemon's host: configuration, logging (plain or JSON lines), systemd integration
/// (notify, journald-friendly output) and graceful shutdown on SIGTERM/SIGINT.</summary>
public static class DaemonHost
{
    public static IHost Build(DaemonConfig config, Func<GuardTable, ILoggerFactory, WorkerServices> services, bool jsonLogs = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        if (jsonLogs)
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = false);
        else
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // Under systemd (Type=notify): readiness and stopping reach the service manager, logs suit the journal.
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton<Func<GuardTable, WorkerServices>>(provider =>
            guards => services(guards, provider.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<KecleonService>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<KecleonService>());
        return builder.Build();
    }
}
