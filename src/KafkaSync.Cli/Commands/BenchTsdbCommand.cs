using System.CommandLine;
using KafkaSync.Engine.Benchmarks;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync bench tsdb`: connector against a direct batched writer, and the balancer's added latency, on real nodes.</summary>
internal static class BenchTsdbCommand
{
    public static Command Create()
    {
        var defaults = new TsdbBenchmarkOptions();
        var points = new Option<int>("--points") { Description = "Points per run and node kind.", DefaultValueFactory = _ => defaults.Points };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of direct, connector, direct; the median ratio is reported.", DefaultValueFactory = _ => defaults.Rounds };
        var lines = new Option<int>("--lines-per-record") { Description = "Line-protocol lines per Kafka record.", DefaultValueFactory = _ => defaults.LinesPerRecord };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the benchmark topic.", DefaultValueFactory = _ => defaults.Partitions };
        var batch = new Option<int>("--batch-points") { Description = "Points per HTTP write (both writers).", DefaultValueFactory = _ => defaults.BatchPoints };
        var writers = new Option<int>("--writers") { Description = "Parallel HTTP writers (both writers).", DefaultValueFactory = _ => defaults.Writers };
        var queries = new Option<int>("--queries") { Description = "Queries timed on each path.", DefaultValueFactory = _ => defaults.Queries };
        var kinds = new Option<string[]>("--kind") { Description = "influxdb and/or victoriametrics (default both).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("tsdb", "Time-series connectors: points/s through the connector against a direct batched writer, and the balancer's added query latency; starts influxd and victoria-metrics itself.")
        {
            points, rounds, lines, partitions, batch, writers, queries, kinds,
        };
        command.SetAction((parse, cancellation) => CliRun.GuardAsync(
            async token =>
            {
                var options = new TsdbBenchmarkOptions
                {
                    Points = parse.GetValue(points),
                    Rounds = parse.GetValue(rounds),
                    LinesPerRecord = parse.GetValue(lines),
                    Partitions = parse.GetValue(partitions),
                    BatchPoints = parse.GetValue(batch),
                    Writers = parse.GetValue(writers),
                    Queries = parse.GetValue(queries),
                    Kinds = ParseKinds(parse.GetValue(kinds)) ?? defaults.Kinds,
                };
                await TsdbBenchmark.RunAsync(options, Console.Out, token);
                return CliRun.Ok;
            },
            cancellation));
        return command;
    }

    private static List<TsdbNodeKind>? ParseKinds(string[]? names) =>
        names is not { Length: > 0 }
            ? null
            : names.Select(n => n.ToLowerInvariant() switch
            {
                "influxdb" or "influx" => TsdbNodeKind.InfluxDb,
                "victoriametrics" or "victoria" or "vm" => TsdbNodeKind.VictoriaMetrics,
                _ => throw new OptionsException("--kind", $"'{n}' is not a node kind; use influxdb or victoriametrics."),
            }).Distinct().ToList();
}
