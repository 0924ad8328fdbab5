namespace KafkaSync.Engine.Tests.Tsdb.Fixtures;

/// <summary>Waits for a condition by polling it, failing with a description when the deadline passes.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellation = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds}s waiting until {what}");
            }

            await Task.Delay(50, cancellation);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, CancellationToken cancellation = default) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what, cancellation);
}
