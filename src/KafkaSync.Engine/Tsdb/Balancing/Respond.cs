using System.Net;
using System.Text;
using System.Text.Json;

namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>Writes small answers of our own (not relayed ones).</summary>
internal static class Respond
{
    public static Task TextAsync(HttpListenerResponse response, int status, string text) =>
        BytesAsync(response, status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text + "\n"));

    public static Task JsonAsync<T>(HttpListenerResponse response, T value) =>
        BytesAsync(response, 200, "application/json", JsonSerializer.SerializeToUtf8Bytes(value, Configuration.ConfigFile.Json));

    public static async Task BytesAsync(HttpListenerResponse response, int status, string contentType, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
    }
}
