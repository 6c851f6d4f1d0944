/**
 * Routes and providers. Access pages are public; everything else needs a
 * session and runs inside the realtime, agents and conversations stores.
 * Settings, reporting, the local mailbox (development) and the customers,
 * companies and issues screens are loaded on demand (not in the initial bundle). Pages reached from mail links (reset,
 * invitation, verify email) are public.
 */
import { Navigate, Route, Router, useLocation, useNavigate, useParams } from '@solidjs/router';
import { Show, createEffect, createSignal, lazy, onMount, type JSX } from 'solid-js';
import { ConnectionBanner, Sidebar } from './components/shell';
import { VerifyEmailBanner } from './components/verify-banner';
import { ForgotPasswordPage, LoginPage, ResetPasswordPage, SignupPage, VerifyEmailPage } from './pages/auth';
import { InboxPage } from './pages/inbox';
import { AgentsProvider } from './stores/agents';
import { Alerts } from './stores/alerts';
import { ConversationsProvider } from './stores/conversations';
import { RealtimeProvider } from './stores/realtime';
import { SessionProvider, useSession } from './stores/session';

const SettingsPage = lazy(() => import('./pages/settings'));
const ReportingPage = lazy(() => import('./pages/reporting'));
const SearchPage = lazy(() => import('./pages/search'));
const MailboxPage = lazy(() => import('./pages/mailbox'));
const CustomersPage = lazy(() => import('./pages/customers'));
const CompaniesPage = lazy(() => import('./pages/companies'));
const IssuesPage = lazy(() => import('./pages/issues'));
const LiveVisitorsPage = lazy(() => import('./pages/live-visitors'));

/** The signed-in console: providers, sidebar, banner. Sends anonymous visitors to /login. */
function Console(props: { children?: JSX.Element }): JSX.Element {
  const [session, actions] = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [menu, setMenu] = createSignal(false);
  createEffect(() => {
    if (!session.session) navigate('/login', { replace: true });
  });
  onMount(() => {
    if (session.session && !session.me) void actions.loadMe();
  });
  return (
    <Show when={session.session}>
      <RealtimeProvider>
        <AgentsProvider>
          <ConversationsProvider>
            <Alerts />
            <a class="skip-link" href="#main">
              Skip to content
            </a>
            <div class="console">
              <header class="topbar">
                <button
                  class="btn ghost small"
                  type="button"
                  aria-expanded={menu()}
                  aria-controls="sidebar"
                  onClick={() => setMenu(!menu())}
                >
                  ☰ Menu
                </button>
                <span class="brand">
                  <span class="brand-mark" aria-hidden="true">
                    N
                  </span>{' '}
                  Netia
                </span>
              </header>
              <div id="sidebar">
                <Sidebar open={menu()} onNavigate={() => setMenu(false)} />
              </div>
              <main id="main" class="main" data-path={location.pathname}>
                <ConnectionBanner />
                <VerifyEmailBanner />
                {props.children}
              </main>
            </div>
          </ConversationsProvider>
        </AgentsProvider>
      </RealtimeProvider>
    </Show>
  );
}

/** `/conversations/:id`, the link of the new-message alert emails (as the original's dashboard had it): the conversation in the inbox. */
function ConversationLink(): JSX.Element {
  const params = useParams<{ id: string }>();
  return <Navigate href={`/inbox/open/${encodeURIComponent(params.id)}`} />;
}

function Home(): JSX.Element {
  const [session] = useSession();
  return <Navigate href={session.session ? '/inbox/open' : '/login'} />;
}

export function App(): JSX.Element {
  return (
    <SessionProvider>
      <Router>
        <Route path="/" component={Home} />
        <Route path="/login" component={LoginPage} />
        <Route path="/signup" component={SignupPage} />
        <Route path="/register/:token" component={SignupPage} />
        <Route path="/forgot-password" component={ForgotPasswordPage} />
        <Route path="/reset" component={ResetPasswordPage} />
        <Route path="/verify-email" component={VerifyEmailPage} />
        <Route path="/" component={Console}>
          <Route path="/inbox/:list/:id?" component={InboxPage} />
          <Route path="/conversations/:id" component={ConversationLink} />
          <Route path="/inboxes/:inboxId/:id?" component={InboxPage} />
          <Route path="/settings/:section?" component={SettingsPage} />
          <Route path="/reporting" component={ReportingPage} />
          <Route path="/customers/:id?" component={CustomersPage} />
          <Route path="/companies/:id?" component={CompaniesPage} />
          <Route path="/issues/:id?" component={IssuesPage} />
          <Route path="/visitors/:sessionId?" component={LiveVisitorsPage} />
          <Route path="/search" component={SearchPage} />
          <Route path="/dev/mailbox/:id?" component={MailboxPage} />
        </Route>
        <Route path="*404" component={Home} />
      </Router>
    </SessionProvider>
  );
}
