/** The console's frame and what every form shares: the product bar, common words, the form layer's problems. */
export const common = {
	// ── The product bar (ConsoleShell) ────────────────────────────────────────
	'shell.product': 'Hallwatch 政务服务效能监管',
	'shell.wall': '指挥大屏',
	'shell.supervision': '督查工作台',
	'shell.department': '承办工单',
	'shell.hotline': '市长热线',
	'shell.reports': '报表',
	'shell.admin': '系统管理',
	'shell.terminal': '窗口终端',
	'shell.logout': '退出登录',
	'shell.lang': 'English',
	'shell.menu': '菜单',

	// ── Roles ─────────────────────────────────────────────────────────────────
	'role.admin': '系统管理员',
	'role.leader': '中心领导',
	'role.supervisor': '督查人员',
	'role.hotline_operator': '热线话务员',
	'role.department_handler': '承办单位',
	'role.window_staff': '窗口人员',

	// ── Common words ──────────────────────────────────────────────────────────
	'common.save': '保存',
	'common.saved': '已保存。',
	'common.cancel': '取消',
	'common.filter': '筛选',
	'common.clear': '清除条件',
	'common.none': '无',
	'common.copy': '复制',
	'common.copied': '已复制',

	// ── A CSV upload's preview ────────────────────────────────────────────────
	'csv.line': '行号',
	'csv.field': '字段',
	'csv.problem': '问题',
	'csv.more': '另有 {n} 行未列出',
	'csv.previewTitle': '预览：{file}（{encoding}）',

	// ── The form layer: what a field's value is refused for ───────────────────
	'form.required': '必填',
	'form.expectedText': '应为文字',
	'form.tooLong': '最多 {max} 个字',
	'form.noControl': '不能含控制字符',
	'form.wholeNumber': '应为 {min} 到 {max} 的整数',
	'form.number': '应为 {min} 到 {max} 之间的数',
	'form.day': '应为日期（年-月-日）',
	'form.month': '应为月份（年-月）',
	'form.oneOf': '应为以下之一：{values}',
	'form.invalid': '填写有误（{detail}）',
	'form.fieldProblem': '{field}：{problem}',
	/** Text a service or the domain already worded in both languages (the one key whose languages differ in parameters). */
	worded: '{zh}',
	'error.notFound': '页面或记录不存在',
	'error.forbidden': '您没有查看此页面的权限',
	'error.signIn': '请先登录',
	'error.server': '服务器出错，请稍后再试',
	'error.bad': '请求有误',
	'error.status': '错误代码 {n}',
	'error.home': '返回首页'
} as const;
