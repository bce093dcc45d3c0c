/* test-import-traces.c: OTLP/JSON, Jaeger and Zipkin importers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "pw-importer.h"
#include "pw-phases.h"
#include "pw-test-util.h"

/* Facts from the corpus's SOURCES.md ("Reference facts per file"); the
 * durations are its span_ms in nanoseconds, exact. */
typedef struct
{
  const char *file;
  const char *format;
  guint64     spans;
  const char *services;      /* lanes with spans, sorted, comma-separated */
  gint64      duration_ns;
  const char *traces;
  const char *roots;         /* spans without a parent link */
} TraceFacts;

static const TraceFacts facts[] = {
  { "jaeger-integration-example_trace.json", "otlp", 5,
    "example-service-1,example-service-2,example-service-3", 100000, "1", "5" },
  { "otel-tui-otel-demo-test_data.jsonl.gz", "otlp", 547,
    "adservice,checkoutservice,flagd,frontend,frontend-proxy,loadgenerator,productcatalogservice,"
    "recommendationservice", G_GINT64_CONSTANT (49937507668), "141", "140" },
  { "otlp-proto-examples-trace.json", "otlp", 1, "my.service", 1000000000, "1", "0" },
  { "jaeger-query-api-ui-trace.json", "jaeger", 2, "jaeger-query", 4199000, "1", "1" },
  { "jaeger-ui-genaiTestTrace.json", "jaeger", 57,
    "api-edge,auth-service,coding-agent,graphql-gateway,k8s-api,mcp-gateway,metrics-backend,"
    "summarizer-agent,trace-store,vector-store", G_GINT64_CONSTANT (44000000000), "1", "1" },
  { "jaeger-ui_01.json", "jaeger", 5, "service-x,service-y", 5000, "1", "2" },
  /* the envoy span names no service: Zipkin's UI calls that "unknown" */
  { "zipkin-lens-envoy.json", "zipkin", 1, "unknown", 127115000, "1", "1" },
  { "zipkin-lens-messaging-kafka.json", "zipkin", 28, "servicea,serviceb", 649065000, "1", "1" },
  { "zipkin-lens-skew.json", "zipkin", 4, "servicea,serviceb", 161718000, "1", "1" },
  { "zipkin-lens-smartthings-oauth-authorization.json", "zipkin", 175,
    "account,auth,bouncer,datamgmt,dove,paperboy,pusher,stlogin", G_GINT64_CONSTANT (100348445000), "1", "1" },
  /* the OpenTelemetry JS SDK 2.12 in this repository (real-tools/otel-shop.js):
   * two checkouts, each calling the backend twice in parallel, and an audit
   * log span of a trace of its own after each */
  { "otel-js-sdk-2.12-shop.otlp.jsonl", "otlp", 30, "backend,frontend", 104239483, "4", "4" },
  { "otel-js-sdk-2.12-shop.zipkin.json", "zipkin", 30, "backend,frontend", 104239000, "4", "4" },
  { "zipkin-lens-yelp.json", "zipkin", 16,
    "mobile_api,routing,spectre,unknown,yelp-main,yelp_main/api_proxy", 131848000, "1", "1" },
};

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
sorted_services (PwProfile *profile)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      if (lane->n_spans > 0)
        {
          g_assert_cmpint (lane->kind, ==, PW_LANE_SERVICE);
          g_ptr_array_add (names, (gpointer) pw_profile_get_string (profile, lane->name));
        }
    }

  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **) names->pdata);
}

static void
test_facts (gconstpointer data)
{
  const TraceFacts *f = data;
  g_autoptr(PwProfile) profile = pw_test_load (f->file);
  g_autofree char *services = sorted_services (profile);

  g_assert_cmpstr (pw_profile_get_format (profile), ==, f->format);
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, f->spans);
  g_assert_cmpstr (services, ==, f->services);
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, f->duration_ns);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "trace.traces"), ==, f->traces);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "trace.root_spans"), ==, f->roots);
  g_assert_false (pw_profile_has_cpu_time (profile));
}

/* The lane named name. */
static guint
find_lane (PwProfile  *profile,
           const char *name)
{
  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    if (g_strcmp0 (pw_profile_get_string (profile, pw_profile_get_lane (profile, l)->name), name) == 0)
      return l;
  g_assert_not_reached ();
  return G_MAXUINT;
}

/* The span named name on the lane whose args contain needle (or any). */
static guint
find_span (PwProfile  *profile,
           guint       lane_index,
           const char *name,
           const char *needle)
{
  const PwLane *lane = pw_profile_get_lane (profile, lane_index);
  guint32 id = pw_profile_lookup_string (profile, name);

  for (guint s = 0; s < lane->n_spans; s++)
    if (lane->span_name[s] == id &&
        (needle == NULL || strstr (pw_test_args (profile, lane->span_args[s]), needle) != NULL))
      return s;
  g_assert_not_reached ();
  return G_MAXUINT;
}

/* The flow of kind that ends at the span, or NULL. */
static const PwFlow *
flow_to (PwProfile  *profile,
         PwFlowKind  kind,
         guint       lane,
         guint       span)
{
  for (guint i = 0; i < pw_profile_get_n_flows (profile); i++)
    {
      const PwFlow *flow = pw_profile_get_flow (profile, i);

      if (flow->kind == kind && flow->to_lane == lane && flow->to_span == span)
        return flow;
    }
  return NULL;
}

static void
assert_parent (PwProfile  *profile,
               const char *child_lane,
               const char *child_name,
               const char *child_needle,
               const char *parent_lane,
               const char *parent_name)
{
  guint lane = find_lane (profile, child_lane);
  guint span = find_span (profile, lane, child_name, child_needle);
  const PwFlow *flow = flow_to (profile, PW_FLOW_PARENT, lane, span);
  const PwLane *from;

  g_assert_nonnull (flow);
  g_assert_cmpuint (flow->from_lane, ==, find_lane (profile, parent_lane));
  from = pw_profile_get_lane (profile, flow->from_lane);
  g_assert_cmpuint (flow->from_span, <, from->n_spans);
  g_assert_cmpstr (pw_profile_get_string (profile, from->span_name[flow->from_span]), ==, parent_name);
}

/* The args of the first span named name. */
static const char *
args_of (PwProfile  *profile,
         const char *name)
{
  const PwLane *lane = NULL;
  guint span = 0;

  g_assert_true (pw_test_find_span (profile, name, &lane, &span));
  g_assert_nonnull (lane);
  return lane != NULL ? pw_test_args (profile, lane->span_args[span]) : "";
}

static void
test_jaeger_parents (void)
{
  g_autoptr(PwProfile) ui01 = pw_test_load ("jaeger-ui_01.json");
  g_autoptr(PwProfile) genai = pw_test_load ("jaeger-ui-genaiTestTrace.json");

  /* ui_01 repeats span id 2: children link to the first span with it */
  assert_parent (ui01, "service-y", "some-operation", NULL, "service-x", "test-general-conversion");
  g_assert_cmpstr (pw_profile_get_metadata (ui01, "trace.duplicate_ids"), ==, "1");
  g_assert_nonnull (pw_profile_get_warnings (ui01));
  /* its logs become instants: two on the first span */
  g_assert_cmpuint (pw_profile_get_n_instants (ui01), ==, 2);

  assert_parent (genai, "graphql-gateway", "Query.assistantReply", NULL, "api-edge", "POST /api/graphql");
  /* services in the order they join: the root's first */
  g_assert_cmpstr (pw_profile_get_string (genai, pw_profile_get_lane (genai, 0)->name), ==, "api-edge");
  g_assert_cmpstr (pw_profile_get_string (genai, pw_profile_get_lane (genai, 1)->name), ==, "graphql-gateway");
  g_assert_cmpstr (pw_profile_get_title (genai), ==, "POST /api/graphql");
}

static void
test_otlp_jsonl (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("otel-tui-otel-demo-test_data.jsonl.gz");
  const char * const *warnings = pw_profile_get_warnings (profile);
  gboolean found = FALSE;

  g_assert_cmpstr (pw_profile_get_metadata (profile, "otlp.documents"), ==, "97");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "otlp.skipped_documents"), ==, "56");
  for (guint i = 0; warnings != NULL && warnings[i]; i++)
    found |= strstr (warnings[i], "56 lines") != NULL;
  g_assert_true (found);

  /* one of the 213 parent links that cross services */
  assert_parent (profile, "frontend-proxy", "ingress", "fc18e82e850fa323", "loadgenerator", "GET");
  g_assert_cmpuint (pw_profile_get_n_instants (profile), ==, 139);
}

static void
test_zipkin_shared (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("zipkin-lens-skew.json");

  /* the server half of an RPC hangs below its client half */
  assert_parent (profile, "serviceb", "post", NULL, "servicea", "post");
  g_assert_cmpstr (pw_profile_get_title (profile), ==, "get");
  /* the root's service on top, though a skewed clock starts serviceb first */
  g_assert_cmpstr (pw_profile_get_string (profile, pw_profile_get_lane (profile, 0)->name), ==, "servicea");

  /* a trace of one server half is still titled by it */
  g_clear_object (&profile);
  profile = pw_test_load ("zipkin-lens-envoy.json");
  g_assert_cmpstr (pw_profile_get_title (profile), ==, "localhost:10000");
}

/* One service, two traces. Trace 1: a request whose three calls overlap,
 * each inside it, and a query of the second call; trace 2: a request
 * inside the first one's time, and a child logged 2 ms before it (clock
 * skew). By time, "rpc c" would nest under "rpc b", "query" under
 * "rpc c", and trace 2 under trace 1's request. Times in ms. */
#define FANOUT_T1 "0af7651916cd43dd8448eb211c80319c"
#define FANOUT_T2 "1af7651916cd43dd8448eb211c80319c"
#define FANOUT_OTLP_SPAN(trace, id, parent, name, start, end) \
  "{\"traceId\":\"" trace "\",\"spanId\":\"000000000000000" id "\"," \
  "\"parentSpanId\":\"" parent "\",\"name\":\"" name "\"," \
  "\"startTimeUnixNano\":\"1700000000" start "000000\",\"endTimeUnixNano\":\"1700000000" end "000000\"}"
#define FANOUT_JAEGER_SPAN(trace, id, refs, name, start, dur) \
  "{\"traceID\":\"" trace "\",\"spanID\":\"000000000000000" id "\",\"operationName\":\"" name "\"," \
  "\"references\":[" refs "],\"startTime\":1700000000" start "000,\"duration\":" dur "000,\"processID\":\"p1\"}"
#define FANOUT_JAEGER_REF(trace, id) \
  "{\"refType\":\"CHILD_OF\",\"traceID\":\"" trace "\",\"spanID\":\"000000000000000" id "\"}"

static void
check_fanout (PwProfile *profile)
{
  const PwLane *lane = pw_profile_get_lane (profile, find_lane (profile, "api"));
  guint request = find_span (profile, find_lane (profile, "api"), "request", NULL);
  guint query = find_span (profile, find_lane (profile, "api"), "query", NULL);
  guint other = find_span (profile, find_lane (profile, "api"), "other request", NULL);
  guint skewed = find_span (profile, find_lane (profile, "api"), "skewed", NULL);
  const char *calls[] = { "rpc a", "rpc b", "rpc c" };
  guint call[3];

  g_assert_cmpstr (pw_profile_get_metadata (profile, "trace.traces"), ==, "2");
  for (guint k = 0; k < 3; k++)
    {
      call[k] = find_span (profile, find_lane (profile, "api"), calls[k], NULL);
      g_assert_cmpint (lane->span_parent[call[k]], ==, (gint) request);
      /* a child of the request, on a row of its own below it */
      g_assert_cmpint (lane->span_parent[request], ==, PW_NO_PARENT);
      g_assert_cmpuint (lane->span_depth[call[k]], >, lane->span_depth[request]);
      for (guint j = 0; j < k; j++)
        g_assert_cmpuint (lane->span_depth[call[k]], !=, lane->span_depth[call[j]]);
    }
  g_assert_cmpuint (pw_lane_span_n_children (lane, request), ==, 3);

  g_assert_cmpint (lane->span_parent[query], ==, (gint) call[1]);
  g_assert_cmpint (lane->span_parent[lane->span_parent[query]], ==, (gint) request);
  g_assert_cmpuint (lane->span_depth[query], >, lane->span_depth[call[1]]);

  /* the other trace's request is not part of this one's */
  g_assert_cmpint (lane->span_parent[other], ==, PW_NO_PARENT);
  /* a child that starts before its parent cannot hang below it */
  g_assert_cmpint (lane->span_parent[skewed], ==, PW_NO_PARENT);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "model.parents_outside"), ==, "1");

  /* rows never overlap, and what is drawn is found where it is drawn */
  for (guint r = 0; r < lane->n_rows; r++)
    for (guint k = lane->row_offsets[r] + 1; k < lane->row_offsets[r + 1]; k++)
      g_assert_cmpint (pw_lane_span_end (lane, lane->row_spans[k - 1]), <=, lane->span_start[lane->row_spans[k]]);
  g_assert_cmpint (pw_lane_find_span_at (lane, lane->span_depth[query], lane->span_start[query] + 1), ==, (gint) query);
}

/* Parallel calls of one service, in OTLP and in Jaeger's JSON. */
static void
test_concurrent_children (void)
{
  const char *otlp = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
    "\"value\":{\"stringValue\":\"api\"}}]},\"scopeSpans\":[{\"spans\":["
    FANOUT_OTLP_SPAN (FANOUT_T1, "5", "0000000000000003", "query", "035", "045") ","
    FANOUT_OTLP_SPAN (FANOUT_T1, "1", "", "request", "000", "100") ","
    FANOUT_OTLP_SPAN (FANOUT_T1, "2", "0000000000000001", "rpc a", "010", "060") ","
    FANOUT_OTLP_SPAN (FANOUT_T1, "3", "0000000000000001", "rpc b", "020", "070") ","
    FANOUT_OTLP_SPAN (FANOUT_T1, "4", "0000000000000001", "rpc c", "030", "050") ","
    FANOUT_OTLP_SPAN (FANOUT_T2, "6", "", "other request", "040", "090") ","
    FANOUT_OTLP_SPAN (FANOUT_T2, "7", "0000000000000006", "skewed", "038", "048")
    "]}]}]}";
  const char *jaeger = "{\"data\":["
    "{\"traceID\":\"" FANOUT_T1 "\",\"processes\":{\"p1\":{\"serviceName\":\"api\"}},\"spans\":["
    FANOUT_JAEGER_SPAN (FANOUT_T1, "5", FANOUT_JAEGER_REF (FANOUT_T1, "3"), "query", "035", "10") ","
    FANOUT_JAEGER_SPAN (FANOUT_T1, "1", "", "request", "000", "100") ","
    FANOUT_JAEGER_SPAN (FANOUT_T1, "2", FANOUT_JAEGER_REF (FANOUT_T1, "1"), "rpc a", "010", "50") ","
    FANOUT_JAEGER_SPAN (FANOUT_T1, "3", FANOUT_JAEGER_REF (FANOUT_T1, "1"), "rpc b", "020", "50") ","
    FANOUT_JAEGER_SPAN (FANOUT_T1, "4", FANOUT_JAEGER_REF (FANOUT_T1, "1"), "rpc c", "030", "20") "]},"
    "{\"traceID\":\"" FANOUT_T2 "\",\"processes\":{\"p1\":{\"serviceName\":\"api\"}},\"spans\":["
    FANOUT_JAEGER_SPAN (FANOUT_T2, "6", "", "other request", "040", "50") ","
    FANOUT_JAEGER_SPAN (FANOUT_T2, "7", FANOUT_JAEGER_REF (FANOUT_T2, "6"), "skewed", "038", "10") "]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) from_otlp = pw_test_load_string (otlp, &error);
  g_autoptr(PwProfile) from_jaeger = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_format (from_otlp), ==, "otlp");
  check_fanout (from_otlp);

  /* the phases of the trace are the request's three calls, not two with
   * the third inside the second */
  {
    PwPhasesOptions options = { PW_PHASES_DISTRIBUTED };
    g_autoptr(PwPhases) phases = pw_phases_compute (from_otlp, &options, NULL, &error);
    const char *names[] = { "rpc a", "rpc b", "rpc c" };
    const gint64 walls[] = { 50, 50, 20 };

    g_assert_no_error (error);
    g_assert_cmpuint (pw_phases_get_n_phases (phases), ==, 3);
    for (guint k = 0; k < 3; k++)
      {
        g_assert_cmpstr (pw_phases_get_phase (phases, k)->name, ==, names[k]);
        g_assert_cmpint (pw_phases_get_phase (phases, k)->wall_ns, ==, walls[k] * 1000000);
      }
  }

  from_jaeger = pw_test_load_string (jaeger, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_format (from_jaeger), ==, "jaeger");
  check_fanout (from_jaeger);
}

/* The string value of "key" in a span's args, or NULL. */
static char *
arg_string (PwProfile    *profile,
            const PwLane *lane,
            guint         span,
            const char   *key)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\":\"", key);
  const char *args = pw_test_args (profile, lane->span_args[span]);
  const char *at = strstr (args, needle);
  const char *end;

  if (at == NULL)
    return NULL;
  at += strlen (needle);
  end = strchr (at, '"');
  return end != NULL ? g_strndup (at, end - at) : NULL;
}

/* Real output of the OpenTelemetry JS SDK: two checkouts, each calling the
 * backend twice in parallel; every backend span whose parent is a backend
 * span hangs below that very span (by time, some hung below the other
 * call's spans). */
static void
check_real_parents (const char *file,
                    const char *id_key,
                    const char *parent_key)
{
  g_autoptr(PwProfile) profile = pw_test_load (file);
  const PwLane *lane = pw_profile_get_lane (profile, find_lane (profile, "backend"));
  guint n_checked = 0;

  for (guint i = 0; i < lane->n_spans; i++)
    {
      g_autofree char *parent_id = arg_string (profile, lane, i, parent_key);
      gint expected = PW_NO_PARENT;

      for (guint j = 0; parent_id != NULL && j < lane->n_spans; j++)
        {
          g_autofree char *id = arg_string (profile, lane, j, id_key);

          if (j != i && g_strcmp0 (id, parent_id) == 0)
            expected = j;
        }
      g_assert_cmpint (lane->span_parent[i], ==, expected);
      n_checked += expected != PW_NO_PARENT;
    }
  /* per call: authorize and three SELECT stock */
  g_assert_cmpuint (n_checked, ==, 16);
  g_assert_null (pw_profile_get_metadata (profile, "model.parents_outside"));
}

static void
test_real_parallel_calls (void)
{
  check_real_parents ("otel-js-sdk-2.12-shop.otlp.jsonl", "spanId", "parentSpanId");
  check_real_parents ("otel-js-sdk-2.12-shop.zipkin.json", "id", "parentId");
}

/* Zipkin: the server half of an RPC within one service hangs below its
 * own client half, not below the other call that encloses it in time. */
static void
test_zipkin_same_service_rpc (void)
{
  const char *zipkin = "["
    "{\"traceId\":\"a\",\"id\":\"r\",\"name\":\"get\",\"timestamp\":1000,\"duration\":200,"
    " \"localEndpoint\":{\"serviceName\":\"web\"}},"
    "{\"traceId\":\"a\",\"id\":\"1\",\"parentId\":\"r\",\"kind\":\"CLIENT\",\"name\":\"one\",\"timestamp\":1010,"
    " \"duration\":90,\"localEndpoint\":{\"serviceName\":\"web\"}},"
    "{\"traceId\":\"a\",\"id\":\"2\",\"parentId\":\"r\",\"kind\":\"CLIENT\",\"name\":\"two\",\"timestamp\":1020,"
    " \"duration\":90,\"localEndpoint\":{\"serviceName\":\"web\"}},"
    "{\"traceId\":\"a\",\"id\":\"1\",\"parentId\":\"r\",\"kind\":\"SERVER\",\"shared\":true,\"name\":\"serve one\","
    " \"timestamp\":1021,\"duration\":40,\"localEndpoint\":{\"serviceName\":\"web\"}}]";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string (zipkin, &error);
  guint web;
  const PwLane *lane;

  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_format (profile), ==, "zipkin");
  web = find_lane (profile, "web");
  lane = pw_profile_get_lane (profile, web);
  g_assert_cmpint (lane->span_parent[find_span (profile, web, "serve one", NULL)], ==,
                   (gint) find_span (profile, web, "one", NULL));
  g_assert_cmpint (lane->span_parent[find_span (profile, web, "two", NULL)], ==,
                   (gint) find_span (profile, web, "get", NULL));
}

static GBytes *
bytes_printf (const char *format,
              ...) G_GNUC_PRINTF (1, 2);

static GBytes *
bytes_printf (const char *format,
              ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  return g_bytes_new_take (text, strlen (text));
}

static PwProfile *
load_bytes (GBytes     *bytes,
            const char *name,
            GError    **error)
{
  return pw_import_bytes (bytes, name, NULL, error);
}

static char *
hex_to_base64 (const char *hex)
{
  gsize n = strlen (hex) / 2;
  g_autofree guchar *raw = g_malloc (n);

  for (gsize i = 0; i < n; i++)
    raw[i] = (g_ascii_xdigit_value (hex[2 * i]) << 4) | g_ascii_xdigit_value (hex[2 * i + 1]);
  return g_base64_encode (raw, n);
}

/* Three spans on two services: root (a) → child (b, another service) →
 * grandchild (b); the grandchild also links to the root. */
#define OTLP_TEMPLATE \
  "{\"%s\":[" \
  "{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"front\"}}]}," \
  " \"%s\":[{\"spans\":[" \
  "  {\"traceId\":\"%s\",\"spanId\":\"%s\",\"name\":\"root\",\"kind\":2," \
  "   \"startTimeUnixNano\":\"1000000000\",\"endTimeUnixNano\":1010000000}]}]}," \
  "{\"%s\":[{\"spans\":[" \
  "  {\"traceId\":\"%s\",\"spanId\":\"%s\",\"parentSpanId\":\"%s\",\"name\":\"child\"," \
  "   \"kind\":\"SPAN_KIND_SERVER\",\"status\":{\"code\":2,\"message\":\"oops\"}," \
  "   \"startTimeUnixNano\":\"1001000000\",\"endTimeUnixNano\":\"1009000000\"," \
  "   \"attributes\":[{\"key\":\"n\",\"value\":{\"intValue\":\"42\"}}," \
  "                   {\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"x\"}]}},\"key\":\"list\"}]}," \
  "  {\"traceId\":\"%s\",\"spanId\":\"%s\",\"parentSpanId\":\"%s\",\"name\":\"grandchild\"," \
  "   \"startTimeUnixNano\":\"1002000000\",\"endTimeUnixNano\":\"1003000000\"," \
  "   \"links\":[{\"traceId\":\"%s\",\"spanId\":\"%s\"}]}]}]," \
  " \"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"back\"}}]}}]}"

static PwProfile *
load_small_otlp (const char *outer,
                 const char *scope,
                 gboolean    base64)
{
  const char *trace = "5b8efff798038103d269b633813fc60c";
  const char *a = "eee19b7ec3c1b173";
  const char *b = "eee19b7ec3c1b174";
  const char *c = "00f067aa0ba902b7";
  g_autofree char *t = base64 ? hex_to_base64 (trace) : g_strdup (trace);
  g_autofree char *ia = base64 ? hex_to_base64 (a) : g_strdup (a);
  g_autofree char *ib = base64 ? hex_to_base64 (b) : g_strdup (b);
  g_autofree char *ic = base64 ? hex_to_base64 (c) : g_strdup (c);
  g_autoptr(GBytes) bytes = bytes_printf (OTLP_TEMPLATE, outer, scope, t, ia, scope,
                                          t, ib, ia, t, ic, ib, t, ia);
  g_autoptr(GError) error = NULL;
  PwProfile *profile = load_bytes (bytes, "small.json", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_format (profile), ==, "otlp");
  return profile;
}

static void
check_small_otlp (PwProfile *profile)
{
  g_autofree char *services = sorted_services (profile);
  guint back = find_lane (profile, "back");
  guint child = find_span (profile, back, "child", NULL);
  guint grandchild = find_span (profile, back, "grandchild", NULL);
  const PwLane *lane = pw_profile_get_lane (profile, back);
  const char *args = pw_test_args (profile, lane->span_args[child]);
  const PwFlow *link;

  g_assert_cmpstr (services, ==, "back,front");
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 3);
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, 10000000);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "trace.root_spans"), ==, "1");
  g_assert_cmpstr (pw_profile_get_title (profile), ==, "root");
  assert_parent (profile, "back", "child", NULL, "front", "root");

  /* same service: a parent on the lane, no arrow */
  g_assert_null (flow_to (profile, PW_FLOW_PARENT, back, grandchild));
  g_assert_cmpint (lane->span_parent[grandchild], ==, (gint) child);

  link = flow_to (profile, PW_FLOW_FOLLOWS, back, grandchild);
  g_assert_nonnull (link);
  g_assert_cmpuint (link->from_lane, ==, find_lane (profile, "front"));

  /* args: ids in hex whatever the input used, the kind, status, attributes */
  g_assert_nonnull (strstr (args, "\"spanId\":\"eee19b7ec3c1b174\""));
  g_assert_nonnull (strstr (args, "\"traceId\":\"5b8efff798038103d269b633813fc60c\""));
  g_assert_nonnull (strstr (args, "\"kind\":\"server\""));
  g_assert_nonnull (strstr (args, "\"message\":\"oops\""));
  g_assert_nonnull (strstr (args, "\"n\":42"));
  g_assert_nonnull (strstr (args, "\"list\":{\"values\":[{\"stringValue\":\"x\"}]}"));
  g_assert_cmpstr (pw_profile_get_string (profile, lane->span_category[child]), ==, "server");
}

static void
test_otlp_base64 (void)
{
  g_autoptr(PwProfile) hex = load_small_otlp ("resourceSpans", "scopeSpans", FALSE);
  g_autoptr(PwProfile) b64 = load_small_otlp ("resourceSpans", "scopeSpans", TRUE);

  check_small_otlp (hex);
  check_small_otlp (b64);
  g_assert_cmpuint (pw_profile_get_n_flows (hex), ==, pw_profile_get_n_flows (b64));
}

static void
test_otlp_tempo (void)
{
  g_autoptr(PwProfile) profile = load_small_otlp ("batches", "instrumentationLibrarySpans", FALSE);
  g_autoptr(GBytes) wrapped = bytes_printf (
    "{\"trace\":{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
    "\"value\":{\"stringValue\":\"tempo-svc\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":"
    "\"AAAAAAAAAAAAAAAAAAAAAQ==\",\"spanId\":\"AAAAAAAAAAE=\",\"name\":\"root\","
    "\"startTimeUnixNano\":\"1000\",\"endTimeUnixNano\":\"3000\"}]}]}]}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) v2 = NULL;
  g_autofree char *services = NULL;

  check_small_otlp (profile);

  /* Tempo's /api/v2/traces answer wraps the request in "trace" */
  v2 = load_bytes (wrapped, "tempo.json", &error);
  g_assert_no_error (error);
  services = sorted_services (v2);
  g_assert_cmpstr (services, ==, "tempo-svc");
  g_assert_cmpint (pw_profile_get_duration_ns (v2), ==, 2000);
  g_assert_nonnull (strstr (args_of (v2, "root"), "\"spanId\":\"0000000000000001\""));
  g_assert_nonnull (strstr (args_of (v2, "root"), "\"traceId\":\"00000000000000000000000000000001\""));
}

static void
test_otlp_lines (void)
{
  g_autoptr(GBytes) bytes = bytes_printf (
    "{\"resourceMetrics\":[{\"resource\":{},\"scopeMetrics\":[]}]}\n"
    "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"s\"}}]},"
    "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"02\",\"name\":\"one\","
    "\"startTimeUnixNano\":\"5\",\"endTimeUnixNano\":\"25\"}]}]}]}\n"
    "{\"resourceLogs\":[{\"resource\":{},\"scopeLogs\":[]}]}\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = load_bytes (bytes, "lines.jsonl", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 1);
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, 20);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "otlp.skipped_documents"), ==, "2");
}

static void
test_otlp_broken_lines (void)
{
  /* a line cut short and a line of garbage between good ones */
  g_autoptr(GBytes) bytes = bytes_printf (
    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"02\",\"name\":\"one\","
    "\"startTimeUnixNano\":\"5\",\"endTimeUnixNano\":\"25\"}]}]}]}\n"
    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"03\",\"name\":\"cut\"\n"
    "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"s\"}}]},"
    "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"04\",\"name\":\"two\","
    "\"startTimeUnixNano\":\"30\",\"endTimeUnixNano\":\"40\"}]}]}]}\n"
    "garbage\n"
    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"05\",\"name\":\"three\","
    "\"startTimeUnixNano\":\"50\",\"endTimeUnixNano\":\"60\"}]}]}]}\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = load_bytes (bytes, "broken.jsonl", &error);
  const char * const *warnings;

  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 3);
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, 55);
  warnings = pw_profile_get_warnings (profile);
  g_assert_nonnull (warnings);
  g_assert_nonnull (strstr (warnings[0], "2 lines were not valid JSON"));
  g_assert_nonnull (strstr (warnings[0], "first at line 2"));
}

/* A broken last line is one more skipped line, not a file cut short. */
static void
test_otlp_broken_last_line (void)
{
  g_autoptr(GBytes) bytes = bytes_printf (
    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"02\",\"name\":\"one\","
    "\"startTimeUnixNano\":\"5\",\"endTimeUnixNano\":\"25\"}]}]}]}\n"
    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"03\",, }\n\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = load_bytes (bytes, "last.jsonl", &error);
  const char * const *warnings;

  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 1);
  warnings = pw_profile_get_warnings (profile);
  g_assert_nonnull (warnings);
  g_assert_nonnull (strstr (warnings[0], "1 line was not valid JSON"));
  g_assert_nonnull (strstr (warnings[0], "first at line 2"));
  for (guint i = 0; warnings[i] != NULL; i++)
    g_assert_null (strstr (warnings[i], "ends early"));
}

static void
test_otlp_only_metrics (void)
{
  g_autoptr(GBytes) bytes = bytes_printf ("{\"resourceMetrics\":[]}\n{\"resourceLogs\":[]}\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = load_bytes (bytes, "metrics.jsonl", &error);

  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "metrics.jsonl"));
}

static void
test_zipkin_traces_array (void)
{
  /* /api/v2/traces: an array of traces; one span has no timestamp */
  g_autoptr(GBytes) bytes = bytes_printf (
    "[[{\"traceId\":\"a\",\"id\":\"1\",\"name\":\"get\",\"timestamp\":1000,\"duration\":500,"
    "   \"localEndpoint\":{\"serviceName\":\"web\"},\"tags\":{\"http.path\":\"/x\"},"
    "   \"annotations\":[{\"timestamp\":1100,\"value\":\"ws\"}]},"
    "  {\"traceId\":\"a\",\"id\":\"2\",\"parentId\":\"1\",\"name\":\"query\",\"timestamp\":1200,\"duration\":100,"
    "   \"localEndpoint\":{\"serviceName\":\"db\"}}],"
    " [{\"traceId\":\"b\",\"id\":\"1\",\"name\":\"later\",\"timestamp\":3000,\"duration\":1000},"
    "  {\"traceId\":\"b\",\"id\":\"3\",\"parentId\":\"1\",\"name\":\"no time\",\"duration\":5}]]");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = load_bytes (bytes, "traces.json", &error);
  g_autofree char *services = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_format (profile), ==, "zipkin");
  services = sorted_services (profile);
  g_assert_cmpstr (services, ==, "db,unknown,web");
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 3);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "trace.traces"), ==, "2");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "trace.spans_without_time"), ==, "1");
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, 3000000);
  g_assert_cmpuint (pw_profile_get_n_instants (profile), ==, 1);
  assert_parent (profile, "db", "query", NULL, "web", "get");

  g_assert_nonnull (strstr (args_of (profile, "get"), "\"tags\":{\"http.path\":\"/x\"}"));
}

static void
test_jaeger_envelope (void)
{
  /* process ids are per trace: p1 is another service in each */
  g_autoptr(GBytes) bytes = bytes_printf (
    "{\"data\":[{\"traceID\":\"t1\",\"spans\":["
    "  {\"traceID\":\"t1\",\"spanID\":\"1\",\"operationName\":\"GET /\",\"references\":[],"
    "   \"startTime\":1000,\"duration\":100,\"processID\":\"p1\","
    "   \"tags\":[{\"key\":\"span.kind\",\"type\":\"string\",\"value\":\"server\"}]},"
    "  {\"traceID\":\"t1\",\"spanID\":\"2\",\"operationName\":\"select\","
    "   \"references\":[{\"refType\":\"CHILD_OF\",\"traceID\":\"t1\",\"spanID\":\"1\"}],"
    "   \"startTime\":1010,\"duration\":50,\"processID\":\"p2\"}],"
    " \"processes\":{\"p1\":{\"serviceName\":\"web\"},\"p2\":{\"serviceName\":\"db\"}}},"
    " {\"traceID\":\"t2\",\"processes\":{\"p1\":{\"serviceName\":\"batch\"}},\"spans\":["
    "  {\"traceID\":\"t2\",\"spanID\":\"1\",\"operationName\":\"job\","
    "   \"references\":[{\"refType\":\"FOLLOWS_FROM\",\"traceID\":\"t2\",\"spanID\":\"9\"}],"
    "   \"startTime\":2000,\"duration\":1000,\"processID\":\"p1\"}]}],"
    " \"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = load_bytes (bytes, "traces.json", &error);
  g_autofree char *services = NULL;
  guint web;

  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_format (profile), ==, "jaeger");
  services = sorted_services (profile);
  g_assert_cmpstr (services, ==, "batch,db,web");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "trace.traces"), ==, "2");
  /* the follows-from reference names a span that is not there */
  g_assert_cmpstr (pw_profile_get_metadata (profile, "trace.root_spans"), ==, "1");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "trace.orphan_spans"), ==, "1");
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, 2000000);
  assert_parent (profile, "db", "select", NULL, "web", "GET /");
  web = find_lane (profile, "web");
  g_assert_cmpstr (pw_profile_get_string (profile, pw_profile_get_lane (profile, web)->span_category[0]), ==, "server");
  g_assert_nonnull (strstr (args_of (profile, "GET /"), "\"tags\":{\"span.kind\":\"server\"}"));
}

/* A document cut short keeps its complete spans with a warning naming
 * the byte offset; cut before any span, it is an error that does. */
static void
test_truncated (void)
{
  const char *files[] = { "zipkin-lens-yelp.json", "jaeger-ui-genaiTestTrace.json",
                          "jaeger-integration-example_trace.json" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", files[i], NULL);
      g_autofree char *text = NULL;
      gsize len;
      g_autoptr(GBytes) half = NULL;
      g_autoptr(GBytes) head = NULL;
      g_autoptr(PwProfile) profile = NULL;
      g_autoptr(PwProfile) none = NULL;
      g_autoptr(GError) error = NULL;
      const char * const *warnings;

      g_assert_true (g_file_get_contents (path, &text, &len, NULL));

      half = g_bytes_new (text, len * 3 / 4);
      profile = load_bytes (half, files[i], &error);
      g_assert_no_error (error);
      g_assert_cmpuint (pw_profile_get_n_spans (profile), >, 0);
      warnings = pw_profile_get_warnings (profile);
      g_assert_nonnull (warnings);
      g_assert_nonnull (strstr (warnings[0], "byte"));

      head = g_bytes_new (text, 60);
      none = pw_import_bytes (head, files[i], i == 0 ? "zipkin" : i == 1 ? "jaeger" : "otlp", &error);
      g_assert_null (none);
      g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TRUNCATED);
      g_assert_nonnull (strstr (error->message, "byte 60"));
      g_assert_nonnull (strstr (error->message, files[i]));
    }
}

static void
test_malformed (void)
{
  g_autoptr(GBytes) bytes = bytes_printf ("[\n{\"traceId\":\"a\",\"id\":\"1\",\"timestamp\":1,\n"
                                          "\"duration\":2,}]");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = load_bytes (bytes, "bad.json", &error);

  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "line 3"));
}

static void
test_wrong_types (void)
{
  /* numbers where ids belong, strings where times belong */
  g_autoptr(GBytes) zipkin = bytes_printf (
    "[{\"traceId\":7,\"id\":\"1\",\"timestamp\":\"soon\",\"duration\":1},"
    " {\"traceId\":\"a\",\"id\":2,\"timestamp\":10,\"duration\":\"long\"},"
    " {\"traceId\":\"a\",\"id\":\"3\",\"parentId\":\"2\",\"timestamp\":\"20\",\"duration\":\"5\"}]");
  g_autoptr(GBytes) jaeger = bytes_printf (
    "{\"traceID\":\"1\",\"spans\":[{\"spanID\":\"1\",\"operationName\":\"x\",\"startTime\":\"never\"},"
    "{\"spanID\":\"2\",\"operationName\":{\"not\":\"a name\"},\"startTime\":5,\"duration\":[1]}],"
    "\"processes\":[1,2]}");
  g_autoptr(GBytes) otlp = bytes_printf (
    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
    "{\"traceId\":1,\"spanId\":true,\"name\":\"a\",\"startTimeUnixNano\":\"x\"},"
    "{\"traceId\":\"01\",\"spanId\":\"02\",\"name\":3,\"startTimeUnixNano\":100,\"endTimeUnixNano\":\"y\"}]}]}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) z = load_bytes (zipkin, "z.json", &error);
  g_autoptr(PwProfile) j = NULL;
  g_autoptr(PwProfile) o = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_spans (z), ==, 2);
  g_assert_cmpstr (pw_profile_get_metadata (z, "trace.spans_without_time"), ==, "1");
  g_assert_cmpstr (pw_profile_get_metadata (z, "trace.spans_without_id"), ==, "1");
  g_assert_cmpuint (g_strv_length ((char **) pw_profile_get_warnings (z)), >=, 2);

  j = load_bytes (jaeger, "j.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_spans (j), ==, 1);
  g_assert_cmpstr (pw_profile_get_metadata (j, "trace.spans_without_time"), ==, "1");

  o = load_bytes (otlp, "o.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_spans (o), ==, 1);
  g_assert_cmpstr (pw_profile_get_metadata (o, "trace.spans_without_time"), ==, "1");
}

static void
test_missing_ids_and_cycles (void)
{
  /* a → b → a across two services, and a span with no ids at all */
  g_autoptr(GBytes) bytes = bytes_printf (
    "[{\"traceId\":\"1\",\"id\":\"a\",\"parentId\":\"b\",\"name\":\"A\",\"timestamp\":1,\"duration\":10,"
    "  \"localEndpoint\":{\"serviceName\":\"s1\"}},"
    " {\"traceId\":\"1\",\"id\":\"b\",\"parentId\":\"a\",\"name\":\"B\",\"timestamp\":2,\"duration\":5,"
    "  \"localEndpoint\":{\"serviceName\":\"s2\"}},"
    " {\"traceId\":\"1\",\"id\":\"a\",\"name\":\"A again\",\"timestamp\":3,\"duration\":1,"
    "  \"localEndpoint\":{\"serviceName\":\"s1\"}},"
    " {\"name\":\"anonymous\",\"timestamp\":4,\"duration\":1}]");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = load_bytes (bytes, "cycle.json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 4);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "trace.spans_without_id"), ==, "1");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "trace.duplicate_ids"), ==, "1");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "trace.flows"), ==, "2");
  assert_parent (profile, "s2", "B", NULL, "s1", "A");
  assert_parent (profile, "s1", "A", NULL, "s2", "B");
}

static void
test_huge_attribute (void)
{
  gsize big = 5 * 1024 * 1024;
  g_autofree char *value = g_malloc (big + 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;
  const char *args;

  memset (value, 'v', big);
  value[big] = '\0';
  bytes = bytes_printf ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"02\","
                        "\"name\":\"big\",\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\","
                        "\"attributes\":[{\"key\":\"blob\",\"value\":{\"stringValue\":\"%s\"}}]}]}]}]}", value);
  profile = load_bytes (bytes, "big.json", &error);
  g_assert_no_error (error);
  args = args_of (profile, "big");
  /* kept, but cut to what a tooltip can show */
  g_assert_nonnull (strstr (args, "\"blob\":\"vvvv"));
  g_assert_cmpuint (strlen (args), <, 128 * 1024);
}

static void
test_sniff (void)
{
  static const struct { const char *text; const char *format; } cases[] = {
    { "{\"resourceSpans\":[]}", "otlp" },
    { "{\"batches\":[{\"scopeSpans\":[]}]}", "otlp" },
    { "{\"data\":[{\"traceID\":\"1\",\"spans\":[{\"spanID\":\"1\"}]}]}", "jaeger" },
    { "[{\"traceId\":\"1\",\"id\":\"1\",\"timestamp\":1}]", "zipkin" },
    { "[{\"ph\":\"X\",\"ts\":1,\"dur\":1,\"name\":\"a\",\"pid\":1,\"tid\":1}]", "chrome" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const PwImporter *importer = pw_importers_sniff ((const guint8 *) cases[i].text,
                                                       strlen (cases[i].text), "x.json");

      g_assert_nonnull (importer);
      g_assert_cmpstr (importer->id, ==, cases[i].format);
    }
}

/* Inputs that once crashed or hung a fuzzer: each must load or fail
 * with an error, nothing else. */
static void
test_fuzz_regressions (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", "fuzz-regress", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    {
      g_test_skip ("no fuzz regressions recorded");
      return;
    }

  while ((name = g_dir_read_name (dir)))
    {
      static const char * const formats[] = { "otlp", "jaeger", "zipkin" };

      for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
        {
          g_autofree char *prefix = g_strconcat (formats[i], "-", NULL);
          g_autofree char *path = NULL;
          g_autofree char *data = NULL;
          g_autoptr(GBytes) bytes = NULL;
          g_autoptr(GError) error = NULL;
          g_autoptr(PwProfile) profile = NULL;
          gsize len;

          if (!g_str_has_prefix (name, prefix) || !g_str_has_suffix (name, ".bin"))
            continue;
          path = g_build_filename (dir_path, name, NULL);
          g_assert_true (g_file_get_contents (path, &data, &len, NULL));
          bytes = g_bytes_new (data, len);
          profile = pw_import_bytes (bytes, "fuzz", formats[i], &error);
          g_assert_true ((profile != NULL) != (error != NULL));
          n++;
        }
    }

  g_test_message ("%u regression inputs", n);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/import/traces/facts/%s", facts[i].file);
      g_test_add_data_func (path, &facts[i], test_facts);
    }
  g_test_add_func ("/import/traces/jaeger-parents", test_jaeger_parents);
  g_test_add_func ("/import/traces/jaeger-envelope", test_jaeger_envelope);
  g_test_add_func ("/import/traces/otlp-jsonl", test_otlp_jsonl);
  g_test_add_func ("/import/traces/otlp-base64", test_otlp_base64);
  g_test_add_func ("/import/traces/otlp-tempo", test_otlp_tempo);
  g_test_add_func ("/import/traces/otlp-lines", test_otlp_lines);
  g_test_add_func ("/import/traces/otlp-broken-lines", test_otlp_broken_lines);
  g_test_add_func ("/import/traces/otlp-broken-last-line", test_otlp_broken_last_line);
  g_test_add_func ("/import/traces/otlp-only-metrics", test_otlp_only_metrics);
  g_test_add_func ("/import/traces/zipkin-shared", test_zipkin_shared);
  g_test_add_func ("/import/traces/concurrent-children", test_concurrent_children);
  g_test_add_func ("/import/traces/zipkin-same-service-rpc", test_zipkin_same_service_rpc);
  g_test_add_func ("/import/traces/real-parallel-calls", test_real_parallel_calls);
  g_test_add_func ("/import/traces/zipkin-traces-array", test_zipkin_traces_array);
  g_test_add_func ("/import/traces/truncated", test_truncated);
  g_test_add_func ("/import/traces/malformed", test_malformed);
  g_test_add_func ("/import/traces/wrong-types", test_wrong_types);
  g_test_add_func ("/import/traces/missing-ids-cycles", test_missing_ids_and_cycles);
  g_test_add_func ("/import/traces/huge-attribute", test_huge_attribute);
  g_test_add_func ("/import/traces/sniff", test_sniff);
  g_test_add_func ("/import/traces/fuzz-regressions", test_fuzz_regressions);

  return g_test_run ();
}
