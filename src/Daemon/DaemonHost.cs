using Kecleon.Runtime.Guards;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kecleon.Daemon;

/// <summary>Builds and runs the daemon's host: configuration, logging (plain or JSON lines), systemd integration
/// (notify, journald-friendly output) and graceful shutdown on SIGTERM/SIGINT.</summary>
public static class DaemonHost
{
    /// <summary>Log timestamps: ISO 8601, UTC, milliseconds.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <param name="minimumLevel">What is logged (an in-process daemon under a bench logs its warnings alone, to stderr).</param>
    public static IHost Build(DaemonConfig config, Func<GuardTable, ILoggerFactory, WorkerServices> services, bool jsonLogs = false,
        LogLevel minimumLevel = LogLevel.Information)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        if (jsonLogs)
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = false;
                o.TimestampFormat = TimestampFormat;
                o.UseUtcTimestamp = true;
            });
        else
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = TimestampFormat + " ";
                o.UseUtcTimestamp = true;
            });
        builder.Logging.SetMinimumLevel(minimumLevel);
        if (minimumLevel > LogLevel.Information)
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // The host logs a failed service with its stack trace; Run reports it as one line instead (KECLEON_DEBUG=1 keeps it).
        if (Environment.GetEnvironmentVariable("KECLEON_DEBUG") is not "1")
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
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

    /// <summary>Runs the daemon until SIGTERM or Ctrl-C. When the service fails instead (it cannot open its socket, its
    /// pins or its metrics port, another daemon holds the guard lock, ...), the host stops and this throws the cause, so
    /// the process exits non-zero and a service manager's <c>Restart=on-failure</c> applies.</summary>
    public static void Run(IHost host)
    {
        var service = host.Services.GetRequiredService<KecleonService>();
        host.Run(); // disposes the host's services, not the task
        if (service.ExecuteTask is { IsFaulted: true } task)
            throw Failure(task.Exception!.GetBaseException());
    }

    /// <summary>What the daemon says when it fails: a <see cref="KecleonException"/> as it is; what the operating system
    /// refused (a folder it cannot create, a socket it cannot bind), with its message and an exit code.</summary>
    private static Exception Failure(Exception e) => e switch
    {
        KecleonException => e,
        UnauthorizedAccessException => new NoPermissionException($"the daemon stopped: {e.Message}"),
        IOException or System.Net.Sockets.SocketException or ArgumentException => new KecleonException($"the daemon stopped: {e.Message}", e),
        _ => e,
    };
}
